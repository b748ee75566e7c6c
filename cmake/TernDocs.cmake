# SPDX-License-Identifier: Apache-2.0
# The documentation the build makes and installs, with the command-line tool (TERN_BUILD_CLI):
# - the man pages, tern(1) and one per subcommand, from docs/man/*.scd with scdoc: target
#   `man`, part of `all` when scdoc is found (apt install scdoc);
# - the bash completion, completions/tern.
# Both are installed in the component of the tool, cli (TernInstall.cmake). And, in a
# top-level build: the API reference of include/tern/ with Doxygen (docs/Doxyfile), target
# `docs` when Doxygen is found, not part of `all`; `make docs` runs the same without CMake.
include(GNUInstallDirs)

if(TARGET tern_cli)
  find_program(SCDOC_EXECUTABLE scdoc DOC "scdoc, which makes the man pages of docs/man/")
  if(SCDOC_EXECUTABLE)
    file(GLOB TERN_MAN_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/*.scd)
    set(TERN_MAN_PAGES)
    foreach(source ${TERN_MAN_SOURCES})
      get_filename_component(page ${source} NAME_WLE)  # tern-get.1
      string(REGEX MATCH "[1-9]$" section ${page})
      set(output ${PROJECT_BINARY_DIR}/man/${page})
      add_custom_command(
        OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -DSCDOC=${SCDOC_EXECUTABLE} -DINPUT=${source}
                -DOUTPUT=${output} -DVERSION=${PROJECT_VERSION}
                -P ${PROJECT_SOURCE_DIR}/cmake/TernScdoc.cmake
        DEPENDS ${source} ${PROJECT_SOURCE_DIR}/cmake/TernScdoc.cmake
        COMMENT "Generating man page ${page}"
        VERBATIM)
      list(APPEND TERN_MAN_PAGES ${output})
      if(TERN_INSTALL)
        install(FILES ${output} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT cli)
      endif()
    endforeach()
    add_custom_target(man ALL DEPENDS ${TERN_MAN_PAGES})
  else()
    message(STATUS "scdoc not found: the man pages are not built (apt install scdoc)")
  endif()

  if(TERN_INSTALL)
    install(FILES ${PROJECT_SOURCE_DIR}/completions/tern
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
            COMPONENT cli)
  endif()
endif()

if(PROJECT_IS_TOP_LEVEL)
  find_package(Doxygen QUIET)
  if(DOXYGEN_FOUND)
    # Writes build/docs/html/ in the source tree, as `make docs` does (docs/Doxyfile).
    add_custom_target(docs
      COMMAND ${CMAKE_COMMAND} -E make_directory build/docs
      COMMAND Doxygen::doxygen docs/Doxyfile
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      COMMENT "API reference: ${PROJECT_SOURCE_DIR}/build/docs/html/index.html"
      VERBATIM)
  endif()
endif()
