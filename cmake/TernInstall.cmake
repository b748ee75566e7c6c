# SPDX-License-Identifier: Apache-2.0
# `cmake --install`: headers, libtern.a, libtern.so.0, the CMake package (find_package(tern)),
# tern.pc (pkg-config) and the tern tool, in three components that are also the Debian
# packages `make deb` builds: runtime (libtern0), dev (libtern-dev), cli (tern).
include(CMakePackageConfigHelpers)

set(TERN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tern)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tern
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(TARGETS tern_static EXPORT ternTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
if(TARGET tern_shared)
  install(TARGETS tern_shared EXPORT ternTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
endif()
install(EXPORT ternTargets NAMESPACE tern:: DESTINATION ${TERN_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ternConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ternConfig.cmake INSTALL_DESTINATION ${TERN_CMAKE_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ternConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ternConfig.cmake ${PROJECT_BINARY_DIR}/ternConfigVersion.cmake
        DESTINATION ${TERN_CMAKE_DIR} COMPONENT dev)

# tern.pc finds its prefix relative to itself, so an installed tree can be moved.
set(TERN_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH TERN_PC_PREFIX_FROM_PCDIR /prefix/${TERN_PC_DIR} /prefix)
string(REGEX REPLACE "/$" "" TERN_PC_PREFIX_FROM_PCDIR "${TERN_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/tern.pc.in ${PROJECT_BINARY_DIR}/tern.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tern.pc DESTINATION ${TERN_PC_DIR} COMPONENT dev)

if(TARGET tern_cli)
  install(TARGETS tern_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/NOTICE
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

# Debian packages (`make deb`): one per component.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tern)
set(CPACK_PACKAGE_VENDOR "The tern authors")
set(CPACK_PACKAGE_CONTACT "The tern authors <security@tern.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev cli)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# tern (the tool) needs libtern.so.0 from libtern0: dpkg-shlibdeps finds it in the build tree.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR})
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libtern0)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libtern-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libssl-dev (>= 3.0), libpsl-dev, libbrotli-dev, libzstd-dev, zlib1g-dev")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME tern)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION net)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "tern TLS library: the shared library libtern.so.0")
set(CPACK_COMPONENT_DEV_DESCRIPTION "tern TLS library: headers, static library, CMake and pkg-config files")
set(CPACK_COMPONENT_CLI_DESCRIPTION "tern: get, connect, trace, serve, verify and a local CA, on the tern TLS library")
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
set(CPACK_COMPONENT_CLI_DEPENDS runtime)
include(CPack)
