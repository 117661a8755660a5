# Install rules for everything outside the programs' own folders, and the .deb (CPack DEB).
# Included once, at the end of the top-level CMakeLists.txt, so every target already exists.
#
#   /usr/bin/tcplab, /usr/bin/tcplab-cli          (tcplab installs itself in gui/; tcplab-cli here)
#   /usr/libexec/tcplab/tcplab-netsetup           the privileged helper, run through pkexec
#   /usr/share/polkit-1/actions/org.tcplab.netsetup.policy
#   /usr/share/applications/org.tcplab.TcpLab.desktop, /usr/share/metainfo/org.tcplab.TcpLab.metainfo.xml
#   /usr/share/icons/hicolor/{scalable,48x48,128x128,256x256}/apps/tcplab.{svg,png}
#   /usr/share/man/man1/tcplab{,-cli}.1.gz, /usr/share/man/man8/tcplab-netsetup.8.gz
#   /usr/share/doc/tcplab/{copyright,changelog.Debian.gz}
# Translations are embedded in the program (.qm under :/i18n), so none are installed as files.

set(TCPLAB_INSTALLER_DIR ${PROJECT_SOURCE_DIR}/installer)
set(TCPLAB_GEN_DIR ${PROJECT_BINARY_DIR}/installer)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The helper's path is fixed: the polkit policy names it in org.freedesktop.policykit.exec.path.
install(TARGETS tcplab-netsetup RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/tcplab)
if(TARGET tcplab-cli)
  install(TARGETS tcplab-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(FILES ${TCPLAB_INSTALLER_DIR}/polkit/org.tcplab.netsetup.policy
        DESTINATION ${CMAKE_INSTALL_DATADIR}/polkit-1/actions)
install(FILES ${TCPLAB_INSTALLER_DIR}/desktop/org.tcplab.TcpLab.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${TCPLAB_INSTALLER_DIR}/metainfo/org.tcplab.TcpLab.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# Icons: the SVG as drawn, PNG sizes rendered from it at build time.
set(TCPLAB_ICON_SVG ${PROJECT_SOURCE_DIR}/resources/icons/tcplab.svg)
install(FILES ${TCPLAB_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
find_program(TCPLAB_RSVG_CONVERT rsvg-convert)
set(tcplab_generated)
if(TCPLAB_RSVG_CONVERT)
  foreach(size 48 128 256)
    set(png ${TCPLAB_GEN_DIR}/icons/${size}x${size}/tcplab.png)
    add_custom_command(OUTPUT ${png}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${TCPLAB_GEN_DIR}/icons/${size}x${size}
      COMMAND ${TCPLAB_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${TCPLAB_ICON_SVG}
      DEPENDS ${TCPLAB_ICON_SVG}
      COMMENT "Rendering the ${size}x${size} application icon")
    list(APPEND tcplab_generated ${png})
    install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
  endforeach()
else()
  message(WARNING "rsvg-convert (librsvg2-bin) not found: the package will carry only the SVG icon")
endif()

# Man pages and the Debian changelog, compressed reproducibly (gzip -9n: no name, no time stamp).
find_program(TCPLAB_GZIP gzip REQUIRED)
function(tcplab_gzip source output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${TCPLAB_GEN_DIR}
    COMMAND ${TCPLAB_GZIP} -9n -c ${source} > ${output}
    DEPENDS ${source}
    COMMENT "Compressing ${source}")
endfunction()
foreach(page tcplab.1 tcplab-cli.1 tcplab-netsetup.8)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  tcplab_gzip(${TCPLAB_INSTALLER_DIR}/man/${page} ${TCPLAB_GEN_DIR}/${page}.gz)
  list(APPEND tcplab_generated ${TCPLAB_GEN_DIR}/${page}.gz)
  install(FILES ${TCPLAB_GEN_DIR}/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
tcplab_gzip(${TCPLAB_INSTALLER_DIR}/changelog ${TCPLAB_GEN_DIR}/changelog.Debian.gz)
list(APPEND tcplab_generated ${TCPLAB_GEN_DIR}/changelog.Debian.gz)
install(FILES ${TCPLAB_GEN_DIR}/changelog.Debian.gz ${TCPLAB_INSTALLER_DIR}/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/tcplab)
add_custom_target(tcplab_installer_files ALL DEPENDS ${tcplab_generated})

# --- CPack: one binary package, tcplab_<version>-1_<arch>.deb ---
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tcplab)
set(CPACK_PACKAGE_VENDOR "TCP Lab maintainers")
set(CPACK_PACKAGE_CONTACT "TCP Lab maintainers <maintainers@tcplab.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "pkexec, fonts-ipafont-gothic | fonts-noto-cjk")
# qt6-translations-l10n: Qt's own words (Cancel, OK, ...) in Japanese too.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "polkitd, iproute2, qt6-translations-l10n")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "wireshark | tshark")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# CPack writes the summary as the synopsis, then these lines indented; an empty line becomes " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "TCP Lab runs a userland TCP/IP stack and shows every segment it exchanges as
a sequence diagram, with connection states, timers and windows. Rules
rewrite, drop or answer segments, so faults seen in production can be
reproduced step by step, on a built-in demo network or against the real
kernel through a tap device.

The package contains the Qt program tcplab, the headless runner tcplab-cli
and tcplab-netsetup, a small helper run through pkexec that creates the tap,
bridge, addresses and routes the lab attaches to.")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "desktop lab for watching, stepping and bending TCP")
include(CPack)
