/* ants_java.i - Java typemaps over the shared interface ../ants.i.
 *
 * The generated classes (AntsC, AntsCJNI, ants_status, ants_lb_strategy,
 * AntsCConstants) are package-private plumbing of org.libants; users call
 * Pool, PoolWithFunc, MultiPool and friends. Opaque handles cross as Java
 * longs instead of SWIG's SWIGTYPE_p_* wrappers: the idiomatic layer owns
 * their lifetime anyway, and a long lets the hand-written JNI code in
 * native/ants_jni.c take the very same handles.
 *
 * Everything that takes a callback (submit, invoke, with-func constructors,
 * hooks, logger, groups) is in native/ants_jni.c, not here: tasks must not
 * go through SWIG directors (see bindings/java/README.md).
 */
%module AntsC

%pragma(java) jniclassclassmodifiers = "final class"
%pragma(java) moduleclassmodifiers = "final class"
/* The JNI library is loaded once, by org.libants.Native. */
%pragma(java) jniclasscode = %{
  static { Native.load(); }
%}

/* Status codes and strategies as plain int constants in package-private
 * classes: the public API turns codes into exceptions and strategies into
 * the LoadBalancingStrategy enum. */
%include "enumtypeunsafe.swg"
%javaconst(1);
%typemap(javaclassmodifiers) enum SWIGTYPE "final class"

%include <typemaps.i>

/* Opaque handles as long, and `T **out` constructor out-parameters as a
 * long[1] the Java side reads the handle from. */
%define ANTS_JAVA_HANDLE(TYPE)
%typemap(jni) TYPE *, const TYPE * "jlong"
%typemap(jtype) TYPE *, const TYPE * "long"
%typemap(jstype) TYPE *, const TYPE * "long"
%typemap(javain) TYPE *, const TYPE * "$javainput"
%typemap(javaout) TYPE *, const TYPE * { return $jnicall; }
%typemap(in) TYPE *, const TYPE * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%typemap(out) TYPE *, const TYPE * %{ $result = (jlong)(intptr_t)$1; %}

%typemap(jni) TYPE **out "jlongArray"
%typemap(jtype) TYPE **out "long[]"
%typemap(jstype) TYPE **out "long[]"
%typemap(javain) TYPE **out "$javainput"
%typemap(in) TYPE **out (TYPE *handle = NULL) %{
  if (!$input || JCALL1(GetArrayLength, jenv, $input) < 1) {
    SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "out must be a long[1]");
    return $null;
  }
  $1 = &handle;
%}
%typemap(argout) TYPE **out %{
  {
    jlong value = (jlong)(intptr_t)handle$argnum;
    JCALL4(SetLongArrayRegion, jenv, $input, 0, 1, &value);
  }
%}
%enddef

ANTS_JAVA_HANDLE(ants_pool)
ANTS_JAVA_HANDLE(ants_options)
ANTS_JAVA_HANDLE(ants_group)

/* by-index getters: `int *out` becomes an int[1]. */
%apply int *OUTPUT { int *out };

/* The callback-free constructors and by-index getters that ants.i leaves to
 * each binding (they need the out-parameter typemaps above). */
%rename("%s") ants_options_new;
%rename("%s") ants_pool_new;
%rename("%s") ants_multipool_new;
%rename("%s") ants_group_new;
%rename("%s") ants_running_by_index;
%rename("%s") ants_available_by_index;
%rename("%s") ants_waiting_by_index;
%rename("%s") ants_busy_by_index;
/* Shared ownership (Pool.fromHandle); Java-only until ants.i exposes it. */
%rename("%s") ants_pool_retain;

%include "../ants.i"
