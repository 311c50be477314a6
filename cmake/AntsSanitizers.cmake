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

# Whether libants.so links with --no-undefined (capi/CMakeLists.txt).
set(ANTS_LINK_NO_UNDEFINED ON)

if(_ants_sanitizers)
  add_link_options(-fsanitize=${_ants_sanitizers})
endif()

# GCC links every binary, shared libraries included, against its shared
# sanitizer runtime (libasan.so, libtsan.so). Clang links its runtime
# statically into executables only, and leaves a shared library with
# undefined __asan_*/__tsan_* references, which --no-undefined rejects
# (issue 17, item 9). CI builds both sanitizers with clang so this stays fixed.
if(_ants_sanitizers AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  if(ANTS_SANITIZE STREQUAL "address")
    # ASan+UBSan: the shared runtime (-shared-libsan), as GCC does, so the
    # library keeps --no-undefined. It lives in clang's resource directory,
    # outside the loader's path: binaries get an rpath to it. (The static
    # runtime would not do: the C test programs, linked by the C driver,
    # would lack UBSan's C++ parts that the C++ library calls.)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER}
                            -print-file-name=libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so
                    OUTPUT_VARIABLE _ants_asan_rt OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${_ants_asan_rt}" OR NOT EXISTS "${_ants_asan_rt}")
      message(FATAL_ERROR "ANTS_SANITIZE=address with clang needs the shared ASan runtime "
                          "(Debian: libclang-rt-14-dev)")
    endif()
    get_filename_component(_ants_asan_rt_dir "${_ants_asan_rt}" DIRECTORY)
    add_link_options(-shared-libsan "LINKER:-rpath,${_ants_asan_rt_dir}")
  else()
    # TSan: clang's shared TSan runtime crashes in libstdc++'s start-up,
    # before it has initialised. Executables keep the static runtime, and
    # libants.so links without --no-undefined, its __tsan_* references
    # resolved by the executable - as LLVM's own build does with sanitizers.
    set(ANTS_LINK_NO_UNDEFINED OFF)
  endif()
endif()
