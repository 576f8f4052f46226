# One INTERFACE target that carries the language level, warnings and Qt safety defines.
add_library(hubcap_options INTERFACE)
target_compile_features(hubcap_options INTERFACE cxx_std_23)
# Project headers are included from the source root with their folder: "core/error.h",
# "ui/cache/cachemodel.h" (no clash between core/cache and ui/cache, none with <error.h>).
target_include_directories(hubcap_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_options(hubcap_options INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
option(HUBCAP_WERROR "Treat compiler warnings as errors (CI turns it on)" OFF)
if(HUBCAP_WERROR)
    target_compile_options(hubcap_options INTERFACE -Werror)
endif()
# Hidden visibility for everything but the KArchive adapter (which does not use hubcap_options):
# otherwise executables export their Qt 6 inline code (QString::~QString, operator==(QString,
# QString), ~QList<QString>) and the dynamic linker binds libKF5Archive's Qt 5 calls to it;
# KZip then silently finds no entries (seen in hubcap-cli fetch) or crashes.
target_compile_options(hubcap_options INTERFACE -fvisibility=hidden -fvisibility-inlines-hidden)
target_compile_definitions(hubcap_options INTERFACE
    QT_NO_KEYWORDS
    QT_NO_URL_CAST_FROM_STRING
    HUBCAP_VERSION="${PROJECT_VERSION}")

execute_process(COMMAND git rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE HUBCAP_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT HUBCAP_GIT_COMMIT)
    set(HUBCAP_GIT_COMMIT "unknown")
endif()

# Every executable lands in one folder so the core finds the hosts next to the running binary.
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
# Installed executables find libhubcap-archive.so in the private libexec folder.
set(CMAKE_INSTALL_RPATH "$ORIGIN/../lib/hubcap")

# Versions of libtorch, Python and torch the hosts are built against (target hubcap-buildinfo).
include(${CMAKE_CURRENT_LIST_DIR}/HubcapBuildInfo.cmake)
