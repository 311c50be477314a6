# ANTS_SANITIZE=address  -> AddressSanitizer + UndefinedBehaviorSanitizer
# ANTS_SANITIZE=thread   -> ThreadSanitizer
# Applied to everything built in the tree, so tests and the library agree.
if(ANTS_SANITIZE STREQUAL "address")
  set(_ants_sanitizers address,undefined)
  add_compile_options(-fsanitize=${_ants_sanitizers} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
elseif(ANTS_SANITIZE STREQUAL "thread")
  set(_ants_sanitizers thread)
  add_compile_options(-fsanitize=${_ants_sanitizers} -fno-omit-frame-pointer)
elseif(NOT ANTS_SANITIZE STREQUAL "")
  message(FATAL_ERROR "ANTS_SANITIZE must be '', 'address' or 'thread'")
endif()

# Whether shared libraries may link with --no-undefined (capi/ uses it).
set(ANTS_LINK_NO_UNDEFINED ON)
if(_ants_sanitizers)
  add_link_options(-fsanitize=${_ants_sanitizers})
  # GCC links every binary, shared libraries included, against its shared
  # sanitizer runtime (libasan.so, libtsan.so). Clang links its runtime
  # statically into executables only, and exports the runtime's symbols
  # from them; a shared library is left with undefined __asan_*/__tsan_*
  # references that the executable resolves when it loads the library.
  # --no-undefined rejects that (issue 17, item 9), so with clang it is off
  # in sanitizer builds, as LLVM's own build does for LLVM_USE_SANITIZER.
  # (Clang's shared runtime, -shared-libsan, is no way out: its TSan build
  # crashes in libstdc++'s start-up, before the runtime has initialised.)
  # GCC builds and unsanitized clang builds keep the check.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(ANTS_LINK_NO_UNDEFINED OFF)
  endif()
endif()
