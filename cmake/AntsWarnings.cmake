# ants_strict_warnings(target): the warning set for the project's own code.
# Generated code (SWIG wrappers) and third-party code do not use it.
function(ants_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion
                         -Wno-sign-conversion)
  if(ANTS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
