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

#ifdef __cplusplus
}
#endif

#endif
