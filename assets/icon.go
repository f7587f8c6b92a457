package assets

import _ "embed"

//go:embed icon.png
var icon []byte

// Icon is the application icon (PNG, 512×512): the window and taskbar
// icon, and the source of the Windows .exe icon (FyneApp.toml, make windows).
func Icon() []byte { return icon }
