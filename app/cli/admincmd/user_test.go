package admincmd_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"cunjing/app/cli/admincmd"
	"cunjing/app/cli/clikit"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// `cunjing user reset` sets a forgotten password again; the role is
// changed only when --role is given (as the display name only when --name
// is): the station administrator who forgot his password, reset without
// --role, stays station administrator, not an officer (the flag's default
// for add).
func TestUserResetKeepsTheRoleNotGiven(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "station.db")
	opt := store.Options{Now: clocktest.Clock(t)}
	s, err := store.Create(ctx, db, store.Identity{DeviceID: "DEV-U", Role: store.RoleStation, Name: "站"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "admin", "刘所长", store.UserStationAdmin, "所长的密码1"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "xiaowang", "小王", store.UserAuxiliary, "小王的密码1"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct {
		args     []string
		user     string
		wantRole string
	}{
		{[]string{"reset", "--db", db, "admin"}, "admin", store.UserStationAdmin},
		{[]string{"reset", "--db", db, "xiaowang"}, "xiaowang", store.UserAuxiliary},
		{[]string{"reset", "--db", db, "--role", store.UserOfficer, "xiaowang"}, "xiaowang", store.UserOfficer},
	} {
		t.Setenv("CUNJING_PASSWORD", "新密码2026年")
		var out, errb bytes.Buffer
		if err := admincmd.User(ctx, &clikit.Env{Stdout: &out, Stderr: &errb, StoreOptions: opt}, c.args); err != nil {
			t.Fatalf("%v: %v (%s)", c.args, err, errb.String())
		}
		s, err := store.Open(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.Login(ctx, c.user, "新密码2026年", clocktest.Today(t))
		s.Close()
		if err != nil || u.Role != c.wantRole {
			t.Errorf("%v: %+v %v; want role %s", c.args, u, err, c.wantRole)
		}
	}
}
