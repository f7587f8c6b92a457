; cunjing-setup.exe — the Windows installer of 村警通 (make windows-installer).
; Built with Debian's nsis (makensis 3):
;   makensis -DVERSION=x.y.z -DEXE=path/cunjing.exe -DICON=cunjing.ico
;            -DOUTFILE=cunjing-setup.exe [-DMESA=dir] cunjing.nsi
; MESA: the folder with Mesa's opengl32.dll and libgallium_wgl.dll (make
; mesa-windows): they go to software\ beside a second copy of cunjing.exe,
; which then draws with Mesa's softpipe (Windows loads a program's DLLs from
; its own folder first), started from the shortcut 村警通（兼容模式）.
;
; Per user, no administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\cunjing, shortcuts to the user's Start menu and
; desktop, file types to HKCU\Software\Classes. The database is never
; touched: it lives in %LOCALAPPDATA%\cunjing (the program makes it, see
; app/dbpath.go), and the uninstaller leaves it and says where it is.
;
; Silent: cunjing-setup.exe /S [/D=folder]; uninstall.exe /S. Exit code 2
; when Windows is too old or 32-bit (the message box is skipped when silent).

; A 64-bit installer, as the program is: Debian's Wine (wine64, no 32-bit
; side) can then test it, and there is nothing to install on a 32-bit
; Windows anyway (Windows itself refuses to start it there).
Target amd64-unicode
ManifestDPIAware true
ManifestSupportedOS all
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "makensis -DVERSION=x.y.z"
!endif
!ifndef EXE
  !define EXE "cunjing.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "cunjing-setup.exe"
!endif

!define APPNAME "村警通"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\cunjing"
!define DATADIR "$LOCALAPPDATA\cunjing"

Name "${APPNAME}"
Caption "${APPNAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\cunjing"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME} cunjing"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "cunjing authors"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\cunjing.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开村警通"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; Go 1.21 and later (cunjing is built with Go 1.26) run only on 64-bit
; Windows 10 and 11. Say so plainly instead of letting the program fail.
Function RefuseOldWindows
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "村警通需要 64 位的 Windows 10 或 Windows 11。$\r$\n$\r$\n这台电脑是 32 位 Windows，不能安装。请换一台电脑，或请单位信息科帮忙升级系统。" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "村警通需要 Windows 10 或 Windows 11。$\r$\n$\r$\n这台电脑的 Windows 版本太旧（Windows 7、8、8.1 已经停止更新），村警通在上面打不开。请升级到 Windows 10 或 11（可请单位信息科帮忙），或换一台电脑安装。$\r$\n$\r$\n国产系统（统信 UOS、银河麒麟）请用 .deb 安装包。" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
FunctionEnd

Function .onInit
  Call RefuseOldWindows
  SetShellVarContext current
FunctionEnd

; A file type for this user only: .EXT opens in cunjing (cunjing FILE).
!macro FileType EXT PROGID DESC
  WriteRegStr HKCU "Software\Classes\${EXT}" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "${DESC}"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\cunjing.exe,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\cunjing.exe" "%1"'
!macroend
; Removes it only where it is still ours.
!macro un.FileType EXT PROGID
  ReadRegStr $0 HKCU "Software\Classes\${EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "Software\Classes\${EXT}"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
!macroend

Section "村警通" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "/oname=cunjing.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
!ifdef MESA
  SetOutPath "$INSTDIR\software"
  File "${MESA}\opengl32.dll"
  File "${MESA}\libgallium_wgl.dll"
  CopyFiles /SILENT "$INSTDIR\cunjing.exe" "$INSTDIR\software\cunjing.exe"
  SetOutPath "$INSTDIR"
  CreateShortCut "$SMPROGRAMS\${APPNAME}（兼容模式）.lnk" "$INSTDIR\software\cunjing.exe" "" "$INSTDIR\cunjing.exe" 0 SW_SHOWNORMAL "" "显卡不支持时用：软件绘图，较慢"
!endif

  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\cunjing.exe" "" "$INSTDIR\cunjing.exe" 0 SW_SHOWNORMAL "" "村警务室工作软件"
  CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\cunjing.exe" "" "$INSTDIR\cunjing.exe" 0 SW_SHOWNORMAL "" "村警务室工作软件"

  ; Backups (store/cjbak) and saved pairing codes (sync/identity).
  !insertmacro FileType ".cjbak" "cunjing.backup" "村警通备份"
  !insertmacro FileType ".cjpair" "cunjing.pairing" "村警通配对码"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Apps & features (per user).
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\cunjing.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "cunjing"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  DetailPrint "数据文件夹（卸载时不会删除）：${DATADIR}"
SectionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}（兼容模式）.lnk"
  Delete "$INSTDIR\software\cunjing.exe"
  Delete "$INSTDIR\software\opengl32.dll"
  Delete "$INSTDIR\software\libgallium_wgl.dll"
  RMDir "$INSTDIR\software"
  Delete "$INSTDIR\cunjing.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  !insertmacro un.FileType ".cjbak" "cunjing.backup"
  !insertmacro un.FileType ".cjpair" "cunjing.pairing"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKCU "${UNINSTKEY}"

  ; The database is never deleted: say where it is.
  DetailPrint "村警通的数据没有删除，还在：${DATADIR}\cunjing.db"
  MessageBox MB_OK|MB_ICONINFORMATION "村警通已卸载。$\r$\n$\r$\n您的数据没有删除，还在：$\r$\n${DATADIR}\cunjing.db$\r$\n$\r$\n重新安装后会接着用这些数据。真的不再需要时，请先做好备份，再自己删除这个文件夹。" /SD IDOK
SectionEnd
