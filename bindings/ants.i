/* ants.i - the one SWIG interface over ants.h, shared by the Java and Go
 * bindings. It exposes the flat C API only: handles, options, status codes
 * and getters. Everything that takes a callback (tasks, panic handlers,
 * loggers, worker hooks) goes through hand-written glue in each binding,
 * because a callback from a native worker thread must be cheap and must
 * never let a language runtime's exception or panic reach C.
 *
 * Per-language typemaps live in java/ants_java.i and go/ants_go.i, which
 * %include this file. The allowlist below is the whole exported surface:
 * new C functions stay invisible to bindings until they are listed here.
 */

%{
#include "ants.h"
%}

%include <stdint.i>

/* Allowlist: ignore everything, then bring back what the bindings use. */
%ignore "";

%define ANTS_EXPOSE(name)
%rename("%s") name;
%enddef

/* status codes and their text */
ANTS_EXPOSE(ants_status);
ANTS_EXPOSE(ANTS_OK);
ANTS_EXPOSE(ANTS_ERR_INVALID_ARGUMENT);
ANTS_EXPOSE(ANTS_ERR_LACK_POOL_FUNC);
ANTS_EXPOSE(ANTS_ERR_INVALID_POOL_EXPIRY);
ANTS_EXPOSE(ANTS_ERR_POOL_CLOSED);
ANTS_EXPOSE(ANTS_ERR_POOL_OVERLOAD);
ANTS_EXPOSE(ANTS_ERR_INVALID_PRE_ALLOC_SIZE);
ANTS_EXPOSE(ANTS_ERR_TIMEOUT);
ANTS_EXPOSE(ANTS_ERR_INVALID_POOL_INDEX);
ANTS_EXPOSE(ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY);
ANTS_EXPOSE(ANTS_ERR_INVALID_MULTI_POOL_SIZE);
ANTS_EXPOSE(ANTS_ERR_NO_MEMORY);
ANTS_EXPOSE(ANTS_ERR_SYSTEM);
ANTS_EXPOSE(ANTS_ERR_WOULD_DEADLOCK);
ANTS_EXPOSE(ants_strerror);
ANTS_EXPOSE(ants_version);
ANTS_EXPOSE(ants_version_number);
ANTS_EXPOSE(ants_lb_strategy);
ANTS_EXPOSE(ANTS_ROUND_ROBIN);
ANTS_EXPOSE(ANTS_LEAST_TASKS);
ANTS_EXPOSE(ANTS_DEFAULT_POOL_SIZE);
ANTS_EXPOSE(ANTS_DEFAULT_EXPIRY_MS);

/* options without callbacks */
ANTS_EXPOSE(ants_options_free);
ANTS_EXPOSE(ants_options_set_expiry_ms);
ANTS_EXPOSE(ants_options_set_pre_alloc);
ANTS_EXPOSE(ants_options_set_max_blocking_tasks);
ANTS_EXPOSE(ants_options_set_nonblocking);
ANTS_EXPOSE(ants_options_set_disable_purge);
ANTS_EXPOSE(ants_options_set_stack_size);
ANTS_EXPOSE(ants_options_set_thread_name);
ANTS_EXPOSE(ants_options_set_queue_size);

/* pools: lifecycle, observation, control */
ANTS_EXPOSE(ants_pool_free);
ANTS_EXPOSE(ants_default_pool);
ANTS_EXPOSE(ants_running);
ANTS_EXPOSE(ants_busy);
ANTS_EXPOSE(ants_available);
ANTS_EXPOSE(ants_cap);
ANTS_EXPOSE(ants_waiting);
ANTS_EXPOSE(ants_queued);
ANTS_EXPOSE(ants_is_closed);
ANTS_EXPOSE(ants_tune);
ANTS_EXPOSE(ants_release);
ANTS_EXPOSE(ants_release_timeout);
ANTS_EXPOSE(ants_reboot);
ANTS_EXPOSE(ants_wait_idle);
ANTS_EXPOSE(ants_group_free);
ANTS_EXPOSE(ants_group_wait);
ANTS_EXPOSE(ants_group_pending);
ANTS_EXPOSE(ants_group_panicked);
ANTS_EXPOSE(ants_group_enter);
ANTS_EXPOSE(ants_group_leave);

/* slots without out-parameters or callbacks (the rest, and the hot path,
 * go through each binding's own glue) */
ANTS_EXPOSE(ants_slot_begin);
ANTS_EXPOSE(ants_slot_end);
ANTS_EXPOSE(ants_slot_release);
ANTS_EXPOSE(ants_slot_cancel);

/* The constructors with an out-parameter (ants_options_new, ants_pool_new,
 * ants_multipool_new, ants_group_new, ...) and the *_by_index getters are
 * wrapped by each binding with its own out-parameter typemaps (see
 * java/ants_java.i, go/ants_go.i), which expose them as needed. */

%include "ants.h"
