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

if(_ants_sanitizers)
  add_link_options(-fsanitize=${_ants_sanitizers})
  # GCC links every binary, shared libraries included, against the shared
  # sanitizer runtime (libasan.so, libtsan.so). Clang links the static
  # runtime into executables only and leaves shared libraries with undefined
  # __asan_*/__tsan_* references, which libants.so's --no-undefined rejects
  # (issue 17, item 9). -shared-libsan makes clang use the shared runtime
  # for both, like GCC; the runtime lives in clang's resource directory,
  # outside the loader's search path, so binaries get an rpath to it.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    if(ANTS_SANITIZE STREQUAL "address")
      set(_ants_san_rt libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
    else()
      set(_ants_san_rt libclang_rt.tsan-${CMAKE_SYSTEM_PROCESSOR}.so)
    endif()
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${_ants_san_rt}
                    OUTPUT_VARIABLE _ants_san_rt_path OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${_ants_san_rt_path}" OR NOT EXISTS "${_ants_san_rt_path}")
      message(FATAL_ERROR "ANTS_SANITIZE=${ANTS_SANITIZE} with clang needs the shared "
                          "sanitizer runtime ${_ants_san_rt} (Debian: libclang-rt-14-dev)")
    endif()
    get_filename_component(_ants_san_rt_dir "${_ants_san_rt_path}" DIRECTORY)
    add_link_options(-shared-libsan "LINKER:-rpath,${_ants_san_rt_dir}")
  endif()
endif()
