package sync

import "cunjing/sync/shortpair"

// ShortCodes are this device's short pairing codes.
func (e *Engine) ShortCodes() *shortpair.Codes { return e.short }
