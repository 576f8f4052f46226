# Versions of the libtorch, Python and torch that the hosts are built against, recorded once at
# configure time into <build>/generated/hubcap_buildinfo.h (target `hubcap-buildinfo`).
# hubcap-cli and the GUI link neither libtorch nor libpython, so they report these as
# "built against" instead of asking the libraries at run time.

if(NOT DEFINED HUBCAP_BUILT_TORCH_VERSION OR NOT HUBCAP_BUILT_PYTHON_FOR STREQUAL HUBCAP_PYTHON)
    # libtorch: the version its CMake package declares, plus Debian's package version if any.
    set(_libtorch "unknown")
    find_file(_torch_config_version TorchConfigVersion.cmake
        PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/Torch /usr/lib/cmake/Torch /usr/share/cmake/Torch
        NO_DEFAULT_PATH)
    if(_torch_config_version)
        file(STRINGS "${_torch_config_version}" _line REGEX "set\\(PACKAGE_VERSION \"[^\"]+\"\\)")
        string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" _libtorch "${_line}")
    endif()
    unset(_torch_config_version CACHE)
    find_program(_dpkg_query dpkg-query)
    if(_dpkg_query)
        execute_process(COMMAND ${_dpkg_query} -W -f=\${Version} libtorch-dev
            OUTPUT_VARIABLE _deb RESULT_VARIABLE _rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
        if(_rc EQUAL 0 AND _deb)
            string(APPEND _libtorch " (Debian libtorch-dev ${_deb})")
        endif()
    endif()
    unset(_dpkg_query CACHE)

    # Python and the torch Python package, asked once from the interpreter the hosts use.
    set(_python "unknown")
    set(_torch "not installed")
    execute_process(
        COMMAND ${HUBCAP_PYTHON} -c "import sys; print(sys.version.split()[0])"
        OUTPUT_VARIABLE _out RESULT_VARIABLE _rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_rc EQUAL 0 AND _out)
        set(_python "${_out}")
    endif()
    execute_process(
        COMMAND ${HUBCAP_PYTHON} -c "import torch; print(torch.__version__)"
        OUTPUT_VARIABLE _out RESULT_VARIABLE _rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE
        TIMEOUT 120)
    if(_rc EQUAL 0 AND _out)
        set(_torch "${_out}")
    endif()

    set(HUBCAP_BUILT_LIBTORCH_VERSION "${_libtorch}" CACHE INTERNAL "")
    set(HUBCAP_BUILT_PYTHON_VERSION "${_python}" CACHE INTERNAL "")
    set(HUBCAP_BUILT_TORCH_VERSION "${_torch}" CACHE INTERNAL "")
    set(HUBCAP_BUILT_PYTHON_FOR "${HUBCAP_PYTHON}" CACHE INTERNAL "")
    message(STATUS "Hubcap hosts built against: libtorch ${_libtorch}, Python ${_python}, torch ${_torch}")
endif()

configure_file(${CMAKE_CURRENT_LIST_DIR}/hubcap_buildinfo.h.in
    ${PROJECT_BINARY_DIR}/generated/hubcap_buildinfo.h @ONLY)
add_library(hubcap-buildinfo INTERFACE)
target_include_directories(hubcap-buildinfo INTERFACE ${PROJECT_BINARY_DIR}/generated)
