// Package tab holds what the tabs of 巡逻排班 share: the Host they are
// drawn in (the roster screen implements it), the roster records loaded
// once per refresh (Data, Load), and the list-with-editor layout every tab
// uses (ListEditor).
package tab
