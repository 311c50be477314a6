# Installs the library, its header, a pkg-config file and a CMake package so
# that both `pkg-config --cflags --libs ants` and `find_package(ants CONFIG)`
# work.
include(CMakePackageConfigHelpers)

install(TARGETS ants EXPORT antsTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/capi/include/ants.h
              ${PROJECT_SOURCE_DIR}/capi/include/ants.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT antsTargets NAMESPACE ants::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ants)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/antsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/antsConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ants)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/antsConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/antsConfig.cmake
              ${PROJECT_BINARY_DIR}/antsConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ants)

# pkg-config: paths relative to the .pc file for the install tree, so the
# package stays correct when installed with `cmake --install --prefix` or
# moved ...
file(RELATIVE_PATH ants_pc_up ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" ants_pc_up "${ants_pc_up}")
set(ANTS_PC_PREFIX "\${pcfiledir}/${ants_pc_up}")
set(ANTS_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(ANTS_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(${PROJECT_SOURCE_DIR}/ants.pc.in ${PROJECT_BINARY_DIR}/ants.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/ants.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# ... and one for the build tree, so the Go binding and the examples can use
# a library that is not installed: PKG_CONFIG_PATH=<build>/pkgconfig-uninstalled
set(ANTS_PC_PREFIX ${PROJECT_BINARY_DIR})
set(ANTS_PC_LIBDIR ${PROJECT_BINARY_DIR}/capi)
set(ANTS_PC_INCLUDEDIR ${PROJECT_SOURCE_DIR}/capi/include)
configure_file(${PROJECT_SOURCE_DIR}/ants.pc.in
               ${PROJECT_BINARY_DIR}/pkgconfig-uninstalled/ants.pc @ONLY)
