/*
 * ants.h - libants, a bounded, recycled, tunable pool of worker threads.
 *
 * A C port of the Go library ants (github: panjf2000/ants). This header is the
 * whole public API and its manual: anything not declared here is not API.
 *
 * Conventions
 *   - Handles are opaque. One handle type, ants_pool, serves every kind of
 *     pool: plain, with a fixed function, and the multipools built on them.
 *   - Fallible calls return an int status: ANTS_OK (0) or a negative
 *     ANTS_ERR_* code; ants_strerror() turns any status into text. Getters
 *     return the value itself. Out-parameters come first and are named out.
 *   - Destructors (ants_pool_free, ants_options_free, ants_group_free) accept
 *     NULL as a no-op.
 *   - Every function is thread-safe unless its comment says otherwise.
 *   - No C++ exception ever crosses this API; an allocation failure inside
 *     the library is ANTS_ERR_NO_MEMORY.
 *   - Callbacks (tasks, hooks, handlers, loggers) never run while a lock of
 *     the library is held, so they may call back into the library freely.
 *     A C++ exception thrown by a task goes to the panic handler (or the
 *     logger); one thrown by a hook, panic handler, logger or task
 *     destructor is logged (to stderr if the logger itself threw) and
 *     ignored: the pool goes on.
 *   - A task may end its worker thread (pthread_exit, or a cancellation
 *     acted on inside it): the pool accounts for it as for any exiting
 *     worker - the slot is freed, blocked callers and queued tasks are
 *     served by others, the exit hook runs, a task group counts the task as
 *     panicked - and logs it. The pool starts a new thread when it needs one.
 *   - fork(): in the child, a pool created before the fork is reset on its
 *     first use to a pool with no worker, no blocked caller and no queued
 *     task (the parent's threads do not exist in the child; its queued tasks
 *     are the parent's, which runs them - the child neither runs nor
 *     destroys them). It keeps its options, capacity and open/closed state,
 *     and starts workers again on demand; the default pool likewise. Task
 *     groups with tasks pending in the parent never finish in the child.
 *     Calling fork() from inside a task is not supported (POSIX allows only
 *     async-signal-safe calls in such a child until it execs).
 *
 * Semantics follow ants v2.11 except where a comment says "differs from ants".
 */
#ifndef ANTS_H
#define ANTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Export macro and version                                                  */
/* ------------------------------------------------------------------------ */

#if defined(ANTS_STATIC)
#define ANTS_EXTERN
#elif defined(ANTS_BUILDING_LIBRARY) && defined(__GNUC__)
#define ANTS_EXTERN __attribute__((visibility("default")))
#else
#define ANTS_EXTERN
#endif

#define ANTS_VERSION_MAJOR 0
#define ANTS_VERSION_MINOR 1
#define ANTS_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons. */
#define ANTS_VERSION_NUMBER \
  (ANTS_VERSION_MAJOR * 10000 + ANTS_VERSION_MINOR * 100 + ANTS_VERSION_PATCH)

/**
 * The version of the library actually loaded, as "MAJOR.MINOR.PATCH".
 * Compare with the ANTS_VERSION_* macros to detect header/library skew.
 * Static storage; never NULL.
 */
ANTS_EXTERN const char *ants_version(void);

/** The loaded library's ANTS_VERSION_NUMBER. */
ANTS_EXTERN int ants_version_number(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

/*
 * X-macro list of every status: name, value, text. The enum and
 * ants_strerror() are both generated from it so they cannot drift.
 * Values are never renumbered; new codes are appended.
 */
#define ANTS_STATUS_MAP(X)                                                   \
  X(OK, 0, "success")                                                        \
  X(ERR_INVALID_ARGUMENT, -1, "invalid argument")                            \
  X(ERR_LACK_POOL_FUNC, -2, "pool has no function: use ants_submit")         \
  X(ERR_INVALID_POOL_EXPIRY, -3, "invalid expiry: must not be negative")     \
  X(ERR_POOL_CLOSED, -4, "pool has been closed")                             \
  X(ERR_POOL_OVERLOAD, -5, "pool is overloaded")                             \
  X(ERR_INVALID_PRE_ALLOC_SIZE, -6,                                          \
    "pre-alloc needs a positive pool size")                                  \
  X(ERR_TIMEOUT, -7, "operation timed out")                                  \
  X(ERR_INVALID_POOL_INDEX, -8, "pool index out of range")                   \
  X(ERR_INVALID_LOAD_BALANCING_STRATEGY, -9,                                 \
    "invalid load-balancing strategy")                                       \
  X(ERR_INVALID_MULTI_POOL_SIZE, -10,                                        \
    "multipool needs at least one sub-pool")                                 \
  X(ERR_NO_MEMORY, -11, "out of memory")                                     \
  X(ERR_SYSTEM, -12, "the operating system refused a thread or resource")    \
  X(ERR_WOULD_DEADLOCK, -13, "call would wait for the caller's own task")

#define ANTS_STATUS_ENUM_ENTRY_(name, value, text) ANTS_##name = value,
/** Status codes returned by every fallible function. */
typedef enum ants_status { ANTS_STATUS_MAP(ANTS_STATUS_ENUM_ENTRY_) } ants_status;
#undef ANTS_STATUS_ENUM_ENTRY_

/**
 * Describes a status code. Returns static text, never NULL; an unknown code
 * gets "unknown status".
 */
ANTS_EXTERN const char *ants_strerror(int status);

/* ------------------------------------------------------------------------ */
/* Types                                                                     */
/* ------------------------------------------------------------------------ */

/** A pool of worker threads: plain, with-func or multipool. */
typedef struct ants_pool ants_pool;
/** Creation options; copied by the pool, so it may be freed right after. */
typedef struct ants_options ants_options;
/** A set of tasks, possibly across pools, that can be waited for. */
typedef struct ants_group ants_group;

/** A task: a function and the argument it was submitted with. */
typedef void (*ants_task_fn)(void *arg);
/** Receives the text of an exception that escaped a task. */
typedef void (*ants_panic_fn)(void *ctx, const char *what);
/** Receives one log message (no trailing newline). */
typedef void (*ants_log_fn)(void *ctx, const char *msg);
/** A worker-thread lifecycle hook. */
typedef void (*ants_hook_fn)(void *ctx);
/** Disposes of a task that was accepted but will never run (cancelled). */
typedef void (*ants_task_dtor_fn)(void *ctx, ants_task_fn fn, void *arg);

/** Load-balancing strategies of a multipool. */
typedef enum ants_lb_strategy {
  ANTS_ROUND_ROBIN = 1,
  ANTS_LEAST_TASKS = 2
} ants_lb_strategy;

/**
 * Capacity of ants_default_pool(). ants uses MaxInt32 goroutines; OS threads
 * cannot follow that, so libants caps its default pool at a size the kernel
 * can always provide.
 */
#define ANTS_DEFAULT_POOL_SIZE 4096
/** Default idle time after which a worker exits (ants' DefaultCleanIntervalTime). */
#define ANTS_DEFAULT_EXPIRY_MS 1000
/** Largest idle expiry, in milliseconds (about 31.7 years): beyond it the
 * engine's nanosecond clock arithmetic could overflow, so larger values are
 * refused. Use ants_options_set_disable_purge() to keep workers forever. */
#define ANTS_MAX_EXPIRY_MS 1000000000000LL
/** How deep a worker's nested submits into its own full pool run inline
 * (see ants_submit()); beyond it, or beyond half the worker's stack, the
 * nested task is deferred to run right after the worker's current task. */
#define ANTS_MAX_INLINE_DEPTH 256
/** Largest task queue (ants_options_set_queue_size()): 2^26 tasks, 1.5 GiB
 * of ring allocated up front. */
#define ANTS_MAX_QUEUE_SIZE (1 << 26)

/* ------------------------------------------------------------------------ */
/* Options                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Creates an options object holding the defaults: expiry 1000 ms, blocking
 * submit, no limit on blocked callers, purge enabled, no pre-alloc, no task
 * queue, default stack size, thread names "ants-N", exceptions logged to
 * stderr. The caller owns *out and frees it with ants_options_free().
 * Errors: ANTS_ERR_INVALID_ARGUMENT (out is NULL), ANTS_ERR_NO_MEMORY.
 * An options object must not be modified concurrently from several threads.
 */
ANTS_EXTERN int ants_options_new(ants_options **out);

/** Frees an options object; NULL is a no-op. Pools keep their own copy. */
ANTS_EXTERN void ants_options_free(ants_options *opts);

/**
 * Idle time after which a worker thread exits. 0 selects the default
 * (ANTS_DEFAULT_EXPIRY_MS). A worker idle for longer than this exits, the
 * coldest first; workers that went idle together leave one per expiry/32, so
 * up to 32 of them exit within twice this time and a mass of idle threads
 * winds down gradually instead of all at once. Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL, or
 * expiry_ms above ANTS_MAX_EXPIRY_MS), ANTS_ERR_INVALID_POOL_EXPIRY
 * (expiry_ms < 0; checked here, by the setter, and the options keep their
 * previous value).
 */
ANTS_EXTERN int ants_options_set_expiry_ms(ants_options *opts, int64_t expiry_ms);

/**
 * Non-zero: allocate everything the pool needs for `size` workers when it is
 * created, so that submit never allocates; idle workers are then reused
 * first-in first-out and ants_tune() is a no-op. Pool creation with a size
 * <= 0 then fails with ANTS_ERR_INVALID_PRE_ALLOC_SIZE.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_pre_alloc(ants_options *opts, int pre_alloc);

/**
 * Maximum number of callers that may be blocked in submit at once; the next
 * one gets ANTS_ERR_POOL_OVERLOAD. 0 (the default) means no limit.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL or max < 0).
 */
ANTS_EXTERN int ants_options_set_max_blocking_tasks(ants_options *opts, int max);

/**
 * Non-zero: submit never blocks; when no worker can take the task it fails
 * at once with ANTS_ERR_POOL_OVERLOAD.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_nonblocking(ants_options *opts, int nonblocking);

/**
 * Non-zero: idle workers never expire; they exit only on release.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_disable_purge(ants_options *opts, int disable);

/**
 * Called on the worker thread with the text of a C++ exception that escaped
 * a task (what() for std::exception, a fixed text otherwise). The worker
 * survives and goes on serving tasks (differs from ants, whose worker dies).
 * fn NULL restores the default: log through the logger.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_panic_handler(ants_options *opts, ants_panic_fn fn,
                                               void *ctx);

/**
 * Receives the library's log messages (unhandled task exceptions, thread
 * creation failures). It may be called from any thread, concurrently.
 * fn NULL restores the default: stderr, each line prefixed "libants: ".
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_logger(ants_options *opts, ants_log_fn fn, void *ctx);

/**
 * on_start runs on each worker thread right after it starts, before its
 * first task; on_exit runs on it right before it exits. Bindings use them to
 * attach a thread to a virtual machine once. Either may be NULL.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_worker_hooks(ants_options *opts, ants_hook_fn on_start,
                                              ants_hook_fn on_exit, void *ctx);

/**
 * Stack size of worker threads in bytes; 0 (the default) uses the system's.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL, or non-zero and below the
 * system minimum of 16 KiB).
 */
ANTS_EXTERN int ants_options_set_stack_size(ants_options *opts, size_t bytes);

/**
 * Prefix of worker thread names, as shown by top -H, gdb and /proc: workers
 * are named "<prefix>-<n>", cut to the 15 characters Linux keeps. The string
 * is copied. NULL or "" restores the default prefix "ants".
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL), ANTS_ERR_NO_MEMORY.
 */
ANTS_EXTERN int ants_options_set_thread_name(ants_options *opts, const char *prefix);

/**
 * Length of an optional bounded task queue (libants extension). 0, the
 * default, keeps ants' behaviour exactly: no queue, a full pool blocks the
 * caller. With n > 0, a task that finds no free worker is queued, and
 * submit blocks (or fails, when nonblocking) only when n tasks are queued.
 * Blocked callers enter the queue in the order they blocked, once a
 * sixteenth of it is free (at least one place), not per freed place: a
 * caller refilling a full queue then takes one wake-up per burst. While
 * callers are blocked, a new caller lines up behind them.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL, n < 0 or n above
 * ANTS_MAX_QUEUE_SIZE).
 */
ANTS_EXTERN int ants_options_set_queue_size(ants_options *opts, int n);

/**
 * Called once for every queued task dropped by ants_cancel_queued(), with
 * the task's function and argument, so the owner of arg can free it (the
 * bindings release a Go slot or a Java reference here). Runs on the thread
 * that cancels, with no lock held. fn NULL: cancelled tasks are just dropped.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (opts NULL).
 */
ANTS_EXTERN int ants_options_set_task_destructor(ants_options *opts, ants_task_dtor_fn fn,
                                                 void *ctx);

/* ------------------------------------------------------------------------ */
/* Creating and destroying pools                                             */
/* ------------------------------------------------------------------------ */

/**
 * Creates a pool of at most `size` worker threads; size <= 0 makes an
 * unlimited pool. No thread is started until a task needs one. opts may be
 * NULL for the defaults; the pool copies it. The caller owns *out and frees
 * it with ants_pool_free(). Errors: ANTS_ERR_INVALID_ARGUMENT (out NULL),
 * ANTS_ERR_INVALID_PRE_ALLOC_SIZE, ANTS_ERR_NO_MEMORY.
 */
ANTS_EXTERN int ants_pool_new(ants_pool **out, int size, const ants_options *opts);

/**
 * Creates a pool whose tasks all run `fn`; tasks are given with
 * ants_invoke(). Otherwise as ants_pool_new().
 * Errors: as ants_pool_new(), and ANTS_ERR_LACK_POOL_FUNC (fn NULL).
 */
ANTS_EXTERN int ants_pool_with_func_new(ants_pool **out, int size, ants_task_fn fn,
                                        const ants_options *opts);

/**
 * Creates a multipool: n independent pools of size_per_pool workers each
 * (size_per_pool <= 0: unlimited), with tasks spread by `strategy`
 * (ANTS_ROUND_ROBIN or ANTS_LEAST_TASKS). Every function taking an ants_pool
 * accepts the result. opts applies to each sub-pool: max_blocking_tasks,
 * queue_size and pre-alloc are per sub-pool. Least-tasks picks on a snapshot
 * of busy counts, so a blocking caller may wait on a sub-pool that just
 * filled while another has room. A worker's own submit stays in its own
 * sub-pool (as Go keeps a goroutine's new goroutines on its P). Errors: ANTS_ERR_INVALID_ARGUMENT (out NULL),
 * ANTS_ERR_INVALID_MULTI_POOL_SIZE (n <= 0),
 * ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY, and those of ants_pool_new().
 */
ANTS_EXTERN int ants_multipool_new(ants_pool **out, int n, int size_per_pool, int strategy,
                                   const ants_options *opts);

/** As ants_multipool_new(), for pools whose tasks all run `fn`. */
ANTS_EXTERN int ants_multipool_with_func_new(ants_pool **out, int n, int size_per_pool,
                                             ants_task_fn fn, int strategy,
                                             const ants_options *opts);

/**
 * Adds an owner to p, so that code sharing one pool (a C++ engine and the Go
 * or Java service over it, a plugin) can each let go of it on its own
 * schedule: every owner calls ants_pool_free() once, and only the last call
 * releases, waits and frees. ants_pool_new() and friends return a handle with
 * one owner. Whoever keeps a handle it was given retains it first; only an
 * owner may retain (retaining a handle whose last owner already freed it is
 * a use after free, which no call can detect). Thread-safe; never blocks.
 * Releasing is shared, owning is not: ants_release() by any owner closes the
 * pool for all of them. The default pool is never freed; retaining it
 * succeeds and changes nothing.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (p NULL).
 */
ANTS_EXTERN int ants_pool_retain(ants_pool *p);

/**
 * Drops one owner of p (see ants_pool_retain()); the last owner's call
 * releases the pool, waits until every worker thread has exited (joined, as
 * for ants_release_timeout()), and frees it. Tasks already accepted run to completion first; callers blocked in
 * submit get ANTS_ERR_POOL_CLOSED. NULL is a no-op, and so is the default
 * pool (it is never freed). Called from a task of this very pool, it
 * releases the pool and returns at once; the pool is freed when its last
 * worker exits. Threads blocked in submit on p when it is freed return
 * ANTS_ERR_POOL_CLOSED; any other call with p that runs concurrently with
 * or after this one is a use after free.
 */
ANTS_EXTERN void ants_pool_free(ants_pool *p);

/**
 * The process-wide default pool (ANTS_DEFAULT_POOL_SIZE workers, default
 * options), created on first use; no thread exists before that. Safe to
 * call from any thread. Never freed and never torn down at exit, so exit()
 * does not wait for it. Returns NULL only if its creation ran out of memory.
 */
ANTS_EXTERN ants_pool *ants_default_pool(void);

/* ------------------------------------------------------------------------ */
/* Submitting tasks                                                          */
/* ------------------------------------------------------------------------ */

/**
 * Runs fn(arg) on a worker thread. Prefers the most recently idle worker,
 * else starts a new thread while below capacity, else (task queue
 * configured) queues the task, else blocks until a worker frees up — or
 * fails with ANTS_ERR_POOL_OVERLOAD when nonblocking or when
 * max_blocking_tasks callers are already blocked.
 *
 * A task accepted (ANTS_OK) runs exactly once, even if the pool is then
 * tuned, released or rebooted. The caller keeps ownership of arg.
 *
 * Nested submit (differs from ants, which deadlocks): when the caller is a
 * worker of this pool and the pool is saturated, a blocking submit runs the
 * task inline on the calling thread instead of waiting for a worker that
 * may never come, and returns ANTS_OK after it ran. The max_blocking_tasks
 * limit does not apply to it (it never blocks); a nonblocking pool still
 * answers ANTS_ERR_POOL_OVERLOAD. Inline runs nest at most
 * ANTS_MAX_INLINE_DEPTH deep and never past half of the worker's stack;
 * beyond that the task is deferred: ANTS_OK is returned at once and the
 * same worker runs the task right after its current outermost task returns
 * (so a task must not wait for a nested task it submitted that deep). A
 * recursion of any depth thus runs every task exactly once, on a bounded
 * stack. Deferred tasks are not in the queue: ants_cancel_queued() does not
 * see them.
 *
 * With a task queue, a task is queued only while a started worker is busy
 * (and so will take it); while the only busy worker is a thread still being
 * created, callers start threads of their own or block instead.
 *
 * If the OS refuses a new thread, a blocking caller waits for one of the
 * pool's live workers instead; ANTS_ERR_SYSTEM is returned when the pool is
 * nonblocking or has no live worker that could ever take the task.
 *
 * Errors: ANTS_ERR_INVALID_ARGUMENT (p or fn NULL, or p made with a
 * function), ANTS_ERR_POOL_CLOSED, ANTS_ERR_POOL_OVERLOAD, ANTS_ERR_SYSTEM,
 * ANTS_ERR_NO_MEMORY (a worker's bookkeeping could not be allocated; never
 * for pre-alloc pools).
 */
ANTS_EXTERN int ants_submit(ants_pool *p, ants_task_fn fn, void *arg);

/**
 * Runs the pool's function with arg, with the rules of ants_submit().
 * Errors: as ants_submit(); ANTS_ERR_LACK_POOL_FUNC if p has no function.
 */
ANTS_EXTERN int ants_invoke(ants_pool *p, void *arg);

/**
 * As ants_submit(), but a blocking wait for a worker lasts at most
 * timeout_ms (< 0: forever, 0: do not wait), then fails with
 * ANTS_ERR_TIMEOUT. Nonblocking pools never wait. The nested-submit rule of
 * ants_submit() applies whatever the timeout: from a worker of this pool
 * into the saturated pool, the task runs inline.
 */
ANTS_EXTERN int ants_submit_timeout(ants_pool *p, ants_task_fn fn, void *arg,
                                    int64_t timeout_ms);

/** As ants_invoke(), with the deadline rules of ants_submit_timeout(). */
ANTS_EXTERN int ants_invoke_timeout(ants_pool *p, void *arg, int64_t timeout_ms);

/* ------------------------------------------------------------------------ */
/* Observing                                                                 */
/* ------------------------------------------------------------------------ */
/* Lock-free snapshots: under concurrency they may be stale by the time the
 * caller reads them, and they order no memory: seeing ants_busy() == 0 does
 * not make a finished task's writes visible. To wait for tasks' effects use
 * ants_wait_idle(), a task group, or the tasks' own synchronisation.
 * A NULL pool reads as 0. */

/** Live worker threads, busy or idle (ants' Running). */
ANTS_EXTERN int ants_running(const ants_pool *p);

/** Workers running a task right now (not in ants, asked for in ants #254). */
ANTS_EXTERN int ants_busy(const ants_pool *p);

/** cap - running, never below 0 (ants' Free; ants lets it go negative).
 *  -1 for an unlimited pool. */
ANTS_EXTERN int ants_available(const ants_pool *p);

/** Capacity; -1 for an unlimited pool. */
ANTS_EXTERN int ants_cap(const ants_pool *p);

/** Callers blocked in submit or invoke right now: counted from the moment
 *  a caller finds the pool full and starts waiting for room (a brief spin,
 *  then asleep), which is also what max_blocking_tasks limits. */
ANTS_EXTERN int ants_waiting(const ants_pool *p);

/** Tasks waiting in the task queue (always 0 without one). */
ANTS_EXTERN int ants_queued(const ants_pool *p);

/** 1 if the pool has been released (and not rebooted), else 0. */
ANTS_EXTERN int ants_is_closed(const ants_pool *p);

/* Multipool sub-pool getters. Errors: ANTS_ERR_INVALID_ARGUMENT (out or p
 * NULL, or p not a multipool), ANTS_ERR_INVALID_POOL_INDEX (index outside
 * [0, n)). */
ANTS_EXTERN int ants_running_by_index(int *out, const ants_pool *p, int index);
ANTS_EXTERN int ants_available_by_index(int *out, const ants_pool *p, int index);
ANTS_EXTERN int ants_waiting_by_index(int *out, const ants_pool *p, int index);
ANTS_EXTERN int ants_busy_by_index(int *out, const ants_pool *p, int index);

/* ------------------------------------------------------------------------ */
/* Controlling                                                               */
/* ------------------------------------------------------------------------ */

/**
 * Changes the capacity. A no-op for size <= 0, size == cap, an unlimited
 * pool or a pre-alloc pool. Growing wakes as many blocked callers as the new
 * room allows. Shrinking interrupts nothing: idle workers above the new
 * capacity exit at once, busy ones when their task ends - also while tasks
 * are queued (the workers that stay serve the queue, so from then on at
 * most the new capacity of tasks run at once). On a multipool
 * every sub-pool gets `size`. NULL is a no-op.
 */
ANTS_EXTERN void ants_tune(ants_pool *p, int size);

/**
 * Closes the pool: later submits and every caller blocked in submit get
 * ANTS_ERR_POOL_CLOSED, idle workers exit, running tasks finish (they are
 * never interrupted). Returns at once. Twice is harmless; NULL is a no-op.
 */
ANTS_EXTERN void ants_release(ants_pool *p);

/**
 * Closes the pool if open and waits until every worker thread has exited -
 * joined: none of them runs library code, hooks or TLS destructors any
 * more when this returns ANTS_OK, so the library (or a plugin whose tasks
 * it ran) may be unloaded then - also after an earlier ants_release() (differs from ants, which returns
 * ErrPoolClosed there without waiting). timeout_ms < 0 waits forever.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (p NULL), ANTS_ERR_TIMEOUT (time ran out;
 * the pool stays closed), ANTS_ERR_WOULD_DEADLOCK (called from a task of
 * this pool, which could never see its own worker exit; returns at once and
 * leaves the pool as it was - use ants_release() there to close it).
 */
ANTS_EXTERN int ants_release_timeout(ants_pool *p, int64_t timeout_ms);

/**
 * Reopens a released pool. Workers of the previous generation still
 * finishing old tasks exit afterwards and never rejoin, nor take a task
 * queued after the reboot (differs from ants, #330): the queue goes to
 * workers of the new generation, started as needed in the old ones' slots. A multipool restarts round-robin at sub-pool 0. No-op on an open
 * pool or NULL.
 */
ANTS_EXTERN void ants_reboot(ants_pool *p);

/**
 * Waits until the pool is idle - no task running or queued and no caller
 * blocked in submit - without closing it. timeout_ms < 0 waits forever.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (p NULL), ANTS_ERR_TIMEOUT,
 * ANTS_ERR_WOULD_DEADLOCK (called from a task of this pool).
 */
ANTS_EXTERN int ants_wait_idle(ants_pool *p, int64_t timeout_ms);

/**
 * Cancels the tasks waiting in the task queue (ants_options_set_queue_size)
 * that no worker has started: each is handed to the task destructor instead
 * of running, and a task group member counts as finished without having
 * run. This is the one exception to "an accepted task runs exactly once",
 * and only at the caller's request. Tasks already running are not touched;
 * tasks queued while this runs may or may not be cancelled. *out (may be
 * NULL) receives how many were cancelled; 0 for a pool without a queue.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (p NULL).
 */
ANTS_EXTERN int ants_cancel_queued(int *out, ants_pool *p);

/* ------------------------------------------------------------------------ */
/* Task groups                                                               */
/* ------------------------------------------------------------------------ */

/**
 * Creates an empty task group; the caller owns *out.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (out NULL), ANTS_ERR_NO_MEMORY.
 */
ANTS_EXTERN int ants_group_new(ants_group **out);

/**
 * Submits fn(arg) to pool as a member of group g (rules of ants_submit()).
 * Only accepted tasks join the group. Errors: ANTS_ERR_INVALID_ARGUMENT
 * (g NULL) and those of ants_submit().
 */
ANTS_EXTERN int ants_group_submit(ants_group *g, ants_pool *pool, ants_task_fn fn,
                                  void *arg);

/** As ants_group_submit(), for a pool with a function. */
ANTS_EXTERN int ants_group_invoke(ants_group *g, ants_pool *pool, void *arg);

/**
 * Waits until every task submitted to g so far has finished.
 * timeout_ms < 0 waits forever. Called from a worker of a pool with a task
 * queue, it runs queued members of g meanwhile (newest first), so that a
 * fork-join - tasks that submit their halves to their own pool and wait
 * for them - cannot deadlock with every worker waiting for children queued
 * behind it; such a waiter looks at the queue at least every 200 us. Errors: ANTS_ERR_INVALID_ARGUMENT (g NULL),
 * ANTS_ERR_TIMEOUT, ANTS_ERR_WOULD_DEADLOCK (called from a task of g).
 */
ANTS_EXTERN int ants_group_wait(ants_group *g, int64_t timeout_ms);

/**
 * Members of g not yet finished: accepted ones, and ones whose submit is
 * still blocked (they count from the moment ants_group_submit is called, so
 * ants_group_wait cannot miss them; a refused one stops counting).
 */
ANTS_EXTERN int ants_group_pending(const ants_group *g);

/** Tasks of g that ended with an exception (the panic handler still ran). */
ANTS_EXTERN int ants_group_panicked(const ants_group *g);

/**
 * Frees a group; NULL is a no-op. If members of g are still pending, waits
 * for them first so no task touches freed memory. Called from inside a
 * member of g, it cannot wait: it returns at once and the last member to
 * finish frees the group. The handle must not be used afterwards.
 */
ANTS_EXTERN void ants_group_free(ants_group *g);

/* ------------------------------------------------------------------------ */
/* Slots: capacity for tasks that libants does not run itself                */
/* ------------------------------------------------------------------------ */

/*
 * A language runtime with its own cheap threads (Go's goroutines, Java's
 * threads) can run its tasks itself and still share one capacity with the
 * C/C++ tasks of the same pool: it takes a *slot* - the pool's admission
 * without a task - runs the task on a thread of its own, and keeps the slot
 * while that thread waits, idle, for its next task, as ants keeps an idle
 * worker. A slot counts exactly like a native worker thread: in
 * ants_running() while held, in ants_busy() while a task runs on it, so the
 * capacity bounds native threads and slots together.
 *
 * A slot's life: ants_slot_acquire*() gives it busy (a task is about to run
 * on it). ants_slot_end() after each task either keeps it, now idle, or gives
 * it back. ants_slot_begin() makes an idle slot busy again for the next
 * task; ants_slot_release() gives back an idle slot (on expiry, or when the
 * pool asks through a slot listener). Slots exist only for pools without a
 * task queue (ants' own semantics); a multipool hands out a slot of one of
 * its sub-pools, chosen by its strategy, and the slot names it.
 *
 * Every slot function is thread-safe and never runs a task. A slot is one
 * holder's at a time: calling begin/end/release for a slot in another state
 * than documented, or after it was given back, is refused where detected
 * (ANTS_ERR_INVALID_ARGUMENT) and otherwise corrupts the pool's counts.
 */

/** A slot held by a caller: non-zero, opaque (it names the sub-pool and the
 * pool's generation). */
typedef int64_t ants_slot;

/**
 * Takes a slot of p, with ants_submit()'s admission: a free place below the
 * capacity; else an idle worker thread of p, which exits and leaves its
 * place to the caller; else, if p is nonblocking, ANTS_ERR_POOL_OVERLOAD at
 * once; else waits, in line with callers blocked in ants_submit() (it counts
 * in ants_waiting() and against max_blocking_tasks), for at most timeout_ms
 * (< 0: as long as needed). While it waits, slot listeners are asked to give
 * back idle slots. The slot is returned busy in *out.
 * Errors: ANTS_ERR_INVALID_ARGUMENT (out or p NULL, or p has a task queue),
 * ANTS_ERR_POOL_CLOSED, ANTS_ERR_POOL_OVERLOAD, ANTS_ERR_TIMEOUT.
 */
ANTS_EXTERN int ants_slot_acquire(ants_slot *out, ants_pool *p, int64_t timeout_ms);

/**
 * Called once with the outcome of an ants_slot_acquire_async() that had to
 * wait: status ANTS_OK and a busy slot, or ANTS_ERR_POOL_CLOSED and 0. Runs
 * on whichever thread freed the slot or closed the pool, without any lock of
 * the pool held, before that thread's libants call returns (so a grant caused
 * by ants_slot_end() or ants_slot_release() runs on the caller's thread,
 * inside that call); it must return quickly and may call any libants
 * function.
 */
typedef void (*ants_slot_grant_fn)(void *ctx, int status, ants_slot slot);

/**
 * As ants_slot_acquire(), without blocking the calling thread: for runtimes
 * whose waiting callers must not each hold an OS thread (a blocked goroutine).
 * If a slot is to be had at once, returns ANTS_OK with it in *out and 0 in
 * *out_ticket, and fn is never called. If the caller would have to wait,
 * returns ANTS_OK with 0 in *out and a non-zero ticket in *out_ticket: the
 * caller now waits in line, and fn(ctx, ...) is called exactly once later -
 * unless ants_slot_cancel() takes the ticket back first.
 * Errors (fn is then never called): ANTS_ERR_INVALID_ARGUMENT (out,
 * out_ticket, p or fn NULL, or p has a task queue), ANTS_ERR_POOL_CLOSED,
 * ANTS_ERR_POOL_OVERLOAD (nonblocking pool, or max_blocking_tasks callers
 * already wait), ANTS_ERR_NO_MEMORY.
 */
ANTS_EXTERN int ants_slot_acquire_async(ants_slot *out, int64_t *out_ticket, ants_pool *p,
                                        ants_slot_grant_fn fn, void *ctx);

/**
 * Takes back a waiting ants_slot_acquire_async(): ANTS_OK if it was still
 * waiting (its fn will never be called). ANTS_ERR_INVALID_ARGUMENT if the
 * ticket is not waiting (anymore): its fn has run or is running, and the
 * slot it got is the caller's to end.
 */
ANTS_EXTERN int ants_slot_cancel(ants_pool *p, int64_t ticket);

/**
 * A task starts on an idle slot: the slot becomes busy. Errors:
 * ANTS_ERR_INVALID_ARGUMENT (p NULL, slot 0 or not one of p's idle slots),
 * ANTS_ERR_POOL_CLOSED (the pool was closed, or rebooted since the slot was
 * given: the slot stays idle and the holder must release it).
 */
ANTS_EXTERN int ants_slot_begin(ants_pool *p, ants_slot slot);

/**
 * The task on a busy slot ended. Returns 1 if the holder keeps the slot, now
 * idle, for its next task; 0 if the slot was given back instead (the pool
 * was closed, rebooted or shrunk, or a caller waits for room) - the holder's
 * thread should then stop being a worker. Both wake ants_wait_idle() when
 * the pool goes quiet. Errors: ANTS_ERR_INVALID_ARGUMENT (p NULL, slot 0, no
 * busy slot of p).
 */
ANTS_EXTERN int ants_slot_end(ants_pool *p, ants_slot slot);

/**
 * Gives back an idle slot (its holder expired, or a slot listener asked).
 * A caller waiting for room gets it. Errors: ANTS_ERR_INVALID_ARGUMENT (p
 * NULL, slot 0, no idle slot of p).
 */
ANTS_EXTERN int ants_slot_release(ants_pool *p, ants_slot slot);

/**
 * Asks a slot holder to give back up to `count` of its idle slots with
 * ants_slot_release(), soon, from any thread (INT_MAX: all of them). The
 * pool calls it, without its lock held, when a caller would otherwise wait
 * while slots sit idle, when the capacity shrinks below what is held, and
 * when the pool is released (every listener, idle slots or not). Runs on the
 * thread that needs the room; it must not block waiting for a task.
 */
typedef void (*ants_slot_listener_fn)(void *ctx, ants_pool *p, int count);

/**
 * Registers a slot listener for p (for a multipool: its sub-pools; p is
 * then the multipool). Several holders may share a pool, one listener each;
 * every listener is asked. *out_id receives an id for
 * ants_slot_listener_remove(). Errors: ANTS_ERR_INVALID_ARGUMENT (out_id, p
 * or fn NULL), ANTS_ERR_NO_MEMORY.
 */
ANTS_EXTERN int ants_slot_listener_add(int64_t *out_id, ants_pool *p, ants_slot_listener_fn fn,
                                       void *ctx);

/**
 * Unregisters a slot listener. When it returns, no call of that listener is
 * running or will run. Errors: ANTS_ERR_INVALID_ARGUMENT (p NULL or no such
 * id). Must not be called from inside the listener itself.
 */
ANTS_EXTERN int ants_slot_listener_remove(ants_pool *p, int64_t id);

/**
 * *out receives how long an idle worker of p lives, in milliseconds, or -1
 * if idle workers never expire (disable_purge): slot holders expire their own
 * idle threads by the same rule. Errors: ANTS_ERR_INVALID_ARGUMENT (out or p
 * NULL).
 */
ANTS_EXTERN int ants_pool_expiry_ms(int64_t *out, const ants_pool *p);

/**
 * Tells group g that a task which libants does not run (one run on a slot)
 * joins it: ants_group_wait() waits for it until ants_group_leave(). Errors:
 * ANTS_ERR_INVALID_ARGUMENT (g NULL).
 */
ANTS_EXTERN int ants_group_enter(ants_group *g);

/**
 * A member counted by ants_group_enter() finished; panicked != 0 counts it in
 * ants_group_panicked(). Errors: ANTS_ERR_INVALID_ARGUMENT (g NULL).
 */
ANTS_EXTERN int ants_group_leave(ants_group *g, int panicked);

#ifdef __cplusplus
}
#endif

#endif /* ANTS_H */
