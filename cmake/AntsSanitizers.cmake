# ANTS_SANITIZE=address  -> AddressSanitizer + UndefinedBehaviorSanitizer
# ANTS_SANITIZE=thread   -> ThreadSanitizer
# Applied to everything built in the tree, so tests and the library agree.
if(ANTS_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(ANTS_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT ANTS_SANITIZE STREQUAL "")
  message(FATAL_ERROR "ANTS_SANITIZE must be '', 'address' or 'thread'")
endif()
