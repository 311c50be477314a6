/* throwing_task.h - tasks written in C++ that throw, for the panic suite. */
#ifndef ANTS_TEST_THROWING_TASK_H
#define ANTS_TEST_THROWING_TASK_H

#ifdef __cplusplus
extern "C" {
#endif

/* Throws std::runtime_error whose what() is arg (a C string). */
void throw_std_task(void *arg);
/* Throws an int: an exception that is not a std::exception. */
void throw_int_task(void *arg);

/* User callbacks that throw (std::runtime_error) on a worker thread or in
 * ants_cancel_queued: the pool must report them and go on. ctx, where it is
 * not NULL, is an atomic_int counted up before throwing. */
void throw_hook(void *ctx);
void throw_logger(void *ctx, const char *msg);
void throw_panic_handler(void *ctx, const char *what);
void throw_task_dtor(void *ctx, void (*fn)(void *), void *arg);

#ifdef __cplusplus
}
#endif

#endif
