; 试点案例库 · Pilot Casebook — Windows installer (Inno Setup 6.5 or newer).
;
; Installs the one-folder bundle that PyInstaller built (dist\casebook) for the current user only,
; without administrator rights, into %LOCALAPPDATA%\Programs\PilotCasebook; adds a Start-menu entry,
; an uninstaller, and opens .casebook share bundles with the window's import preview.
; The coordinator's library stays in %LOCALAPPDATA%\PilotCasebook and is kept on uninstall.
;
; Build (on Windows, after `python packaging\make_bundle.py`; see .github\workflows\windows.yml):
;   iscc /DAppVersion=0.1.0 packaging\windows\casebook.iss
;   iscc /DAppVersion=0.1.0 /DChineseMessages=C:\path\ChineseSimplified.isl packaging\windows\casebook.iss
; AppVersion is the package version (pyproject.toml). The Chinese wizard needs Inno Setup's
; ChineseSimplified.isl, which is an unofficial translation not installed with Inno Setup: the workflow
; fetches it from the Inno Setup repository at a fixed commit. Without it the wizard is in English.
; This script has not been compiled or run on this project's development machines (Linux only).

#ifndef AppVersion
  #error Pass the package version: iscc /DAppVersion=x.y.z casebook.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\casebook"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installer"
#endif

#define AppName "试点案例库"
#define AppFullName "试点案例库 · Pilot Casebook"
#define AppExe "casebook.exe"
#define ProgId "PilotCasebook.Bundle"

[Setup]
; Never change AppId: it ties upgrades and the uninstaller to earlier installs.
AppId={{4BF1D42C-8274-4F62-A7E8-879A74932AFA}
AppName={#AppFullName}
AppVersion={#AppVersion}
AppVerName={#AppFullName} {#AppVersion}
AppPublisher=Pilot Casebook
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppFullName}
; Per-user install: no administrator rights, no UAC prompt; the files go to the user's own Programs folder.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\PilotCasebook
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
CloseApplications=yes
SetupIconFile=..\icons\casebook.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppFullName}
OutputDir={#OutputDir}
OutputBaseFilename=PilotCasebook-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
#ifdef ChineseMessages
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
#ifdef ChineseMessages
chinesesimplified.BundleFileType=试点案例库共享包
chinesesimplified.OpenWith=用试点案例库打开
#endif
english.BundleFileType=Pilot Casebook share bundle
english.OpenWith=Open with Pilot Casebook

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the runtime as a whole, so no module of an older version is left behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{#AppFullName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .casebook -> the windowed casebook.exe "%1", which opens the window with the import preview of that
; file. HKA is HKEY_CURRENT_USER\Software\Classes in a per-user install.
Root: HKA; Subkey: "Software\Classes\.casebook"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\.casebook\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:BundleFileType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open"; ValueType: string; ValueName: ""; ValueData: "{cm:OpenWith}"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".casebook"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppFullName}"; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program's folder; the library and settings in the user's data folders stay.
Type: filesandordirs; Name: "{app}\_internal"
