# Runs at build time, after SWIG: lists the Java files SWIG generated (their
# names depend on ants.i, so they are not known at configure time) for
# add_jar, and makes the constants interface package-private (SWIG 4.1 has no
# pragma for its modifiers). Inputs: DIR (SWIG's Java output), OUT (list file).
file(GLOB generated "${DIR}/*.java")
foreach(f IN LISTS generated)
  file(READ "${f}" text)
  string(REGEX REPLACE "\npublic interface " "\ninterface " fixed "${text}")
  if(NOT fixed STREQUAL text)
    file(WRITE "${f}" "${fixed}")
  endif()
endforeach()
list(JOIN generated "\n" lines)
file(WRITE "${OUT}" "${lines}\n")
