package mapdata

import (
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/storetest"
)

func newTestStore(t testing.TB, role string, now func() time.Time) *store.Store {
	return storetest.New(t, role, now)
}
