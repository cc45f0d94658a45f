# cmake --install: what goes where (GNUInstallDirs; PREFIX is CMAKE_INSTALL_PREFIX or --prefix).
#
#   PREFIX/bin/tlsgauntlet
#   PREFIX/libexec/tlsgauntlet/tg-peer-NAME          the peer adapters
#   PREFIX/libexec/tlsgauntlet/test-peers/           selftest's permissive target, the NAME_minimal
#                                                    programs of the baselines' replays
#   PREFIX/share/tlsgauntlet/{scenarios,baselines,targets,requirements}   the default suite (its
#                                                    certificates in scenarios/certs), the baselines,
#                                                    target profiles, the requirement catalogue
#   PREFIX/share/doc/tlsgauntlet/, PREFIX/share/man/man1/tlsgauntlet*.1
#   PREFIX/include/tg/, PREFIX/lib/libtlsgauntlet.a  the TLS library, as tlsgauntlet::tg
#   PREFIX/lib/cmake/tlsgauntlet/, PREFIX/lib/pkgconfig/tlsgauntlet.pc
#
# tlsgauntlet finds its data and adapters relative to its own directory (harness/paths.c), so the
# tree works wherever it is put. tg-peer-broken (tests/cli/run.sh only) is not installed.
include(CMakePackageConfigHelpers)

set(TG_PROGRAM_DIR ${CMAKE_INSTALL_LIBEXECDIR}/tlsgauntlet)
install(TARGETS tlsgauntlet RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(peer tg-peer-builtin tg-peer-gnutls tg-peer-openssl tg-peer-boringssl tg-peer-wolfssl
             tg-peer-nss tg-peer-mbedtls)
  if(TARGET ${peer})
    install(TARGETS ${peer} RUNTIME DESTINATION ${TG_PROGRAM_DIR})
  endif()
endforeach()
# selftest plays against tg-peer-permissive, and the baselines' replay: commands start the
# NAME_minimal programs ({bin}/test-peers/...): they work from an installed tree. A sanitizer build
# does not build tg-peer-permissive (EXCLUDE_FROM_ALL), so does not install it.
foreach(helper tg-peer-permissive boringssl_minimal wolfssl_minimal mbedtls_minimal nss_minimal)
  if(TARGET ${helper})
    get_target_property(tg_excluded ${helper} EXCLUDE_FROM_ALL)
    if(NOT tg_excluded)
      install(TARGETS ${helper} RUNTIME DESTINATION ${TG_PROGRAM_DIR}/test-peers)
    endif()
  endif()
endforeach()
# NSS's replays run its own selfserv/tstclnt through this script (a throwaway database).
if(TG_HAVE_NSS)
  install(PROGRAMS ${CMAKE_BINARY_DIR}/test-peers/nss_tool.sh DESTINATION ${TG_PROGRAM_DIR}/test-peers)
endif()

set(TG_DATA_DIR ${CMAKE_INSTALL_DATADIR}/tlsgauntlet)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/vectors/scenarios ${CMAKE_SOURCE_DIR}/vectors/baselines
                  ${CMAKE_SOURCE_DIR}/vectors/targets DESTINATION ${TG_DATA_DIR})
# The requirement catalogue the scenarios' requires: ids are checked against (beside scenarios/).
if(EXISTS ${CMAKE_SOURCE_DIR}/vectors/requirements)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/vectors/requirements DESTINATION ${TG_DATA_DIR})
endif()

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md" PATTERN man EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/peers/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME peers.md)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1")

# The library: tlsgauntlet::tg for find_package(tlsgauntlet), tlsgauntlet.pc for pkg-config.
install(TARGETS tg EXPORT tlsgauntletTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/tls/include/tg DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(TG_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tlsgauntlet)
install(EXPORT tlsgauntletTargets NAMESPACE tlsgauntlet:: DESTINATION ${TG_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/tlsgauntletConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/tlsgauntletConfig.cmake
                              INSTALL_DESTINATION ${TG_CMAKE_DIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/tlsgauntletConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/tlsgauntletConfig.cmake
              ${CMAKE_BINARY_DIR}/tlsgauntletConfigVersion.cmake DESTINATION ${TG_CMAKE_DIR})
# The .pc file names its prefix relative to itself (${pcfiledir}), like the programs do.
file(RELATIVE_PATH TG_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" TG_PC_TO_PREFIX "${TG_PC_TO_PREFIX}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/tlsgauntlet.pc.in ${CMAKE_BINARY_DIR}/tlsgauntlet.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/tlsgauntlet.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
