package store

import (
	"context"
	"cunjing/store/record"
	"errors"
	"testing"
	"time"
)

func TestLoginAndLockout(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, RolePost, nil)
	if ok, _ := s.HasUsers(ctx); ok {
		t.Fatal("new database has users")
	}
	if err := s.AddUser(ctx, "wang", "王建军", UserOfficer, "123"); err == nil {
		t.Fatal("short password accepted")
	}
	if err := s.AddUser(ctx, "wang", "王建军", "boss", "secret-1"); err == nil {
		t.Fatal("unknown role accepted")
	}
	if err := s.AddUser(ctx, "wang", "王建军", UserOfficer, "村警务室2026"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	u, err := s.Login(ctx, "wang", "村警务室2026", now)
	if err != nil || u.Role != UserOfficer || u.DisplayName != "王建军" {
		t.Fatalf("login: %+v %v", u, err)
	}
	if _, err := s.Login(ctx, "nobody", "x", now); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("unknown user: %v", err)
	}
	for i := 1; i < MaxFailedLogins; i++ {
		if _, err := s.Login(ctx, "wang", "wrong", now); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := s.Login(ctx, "wang", "wrong", now); !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong password must lock: %v", err)
	}
	if _, err := s.Login(ctx, "wang", "村警务室2026", now.Add(time.Minute)); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked account let the right password in: %v", err)
	}
	if _, err := s.Login(ctx, "wang", "村警务室2026", now.Add(LockoutDuration+time.Second)); err != nil {
		t.Fatalf("lock did not expire: %v", err)
	}
}

func TestMaskingPerRole(t *testing.T) {
	id := "11010519491231002X"
	tests := []struct{ role, want string }{
		{UserOfficer, id},
		{UserStationAdmin, id},
		{UserAuxiliary, "1101**********002X"},
		{"", "1101**********002X"},
	}
	for _, tt := range tests {
		if got := record.ShowID(tt.role, id); got != tt.want {
			t.Errorf("ShowID(%q) = %s, want %s", tt.role, got, tt.want)
		}
	}
}

func TestAuditEntriesSync(t *testing.T) {
	ctx := context.Background()
	post := newTestStore(t, RolePost, nil)
	if err := post.Audit(ctx, "li", UserAuxiliary, AuditExport, "住户台账.xlsx", "312 户"); err != nil {
		t.Fatal(err)
	}
	if err := post.Audit(ctx, "li", UserAuxiliary, "delete", "x", ""); err == nil {
		t.Fatal("unknown audit action accepted")
	}
	station := newTestStore(t, RoleStation, nil)
	if _, err := station.Apply(ctx, allChanges(t, post)); err != nil {
		t.Fatal(err)
	}
	log, err := station.AuditLog(ctx, post.DeviceID(), 10)
	if err != nil || len(log) != 1 || log[0].Subject != "住户台账.xlsx" || log[0].Action != AuditExport || log[0].User != "li" {
		t.Fatalf("station audit log: %+v %v", log, err)
	}
}

// Adding an account never replaces one: an officer who adds the station
// administrator's name would otherwise set its password and role and take
// it over. Reset is the deliberate way, and needs an account to reset.
func TestAddNeverReplacesAnAccount(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	s := newTestStore(t, RoleStation, nil)
	if err := s.AddUser(ctx, "admin", "刘所长", UserStationAdmin, "所长的密码1"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"admin", " admin "} {
		if err := s.AddUser(ctx, name, "冒名", UserOfficer, "taken-over"); !errors.Is(err, ErrUserExists) {
			t.Fatalf("adding %q again: %v, want ErrUserExists", name, err)
		}
	}
	if _, err := s.Login(ctx, "admin", "taken-over", now); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("the second add's password logs in: %v", err)
	}
	u, err := s.Login(ctx, "admin", "所长的密码1", now)
	if err != nil || u.Role != UserStationAdmin || u.DisplayName != "刘所长" {
		t.Fatalf("the account after a refused add: %+v %v", u, err)
	}

	// A forgotten password, set again at the PC: the lock goes too.
	for range MaxFailedLogins {
		s.Login(ctx, "admin", "wrong", now)
	}
	if _, err := s.Login(ctx, "admin", "所长的密码1", now); !errors.Is(err, ErrLocked) {
		t.Fatalf("not locked: %v", err)
	}
	if err := s.ResetUser(ctx, "admin", "", UserStationAdmin, "新密码2026"); err != nil {
		t.Fatal(err)
	}
	if u, err := s.Login(ctx, "admin", "新密码2026", now); err != nil || u.DisplayName != "刘所长" {
		t.Fatalf("after a reset: %+v %v", u, err)
	}
	for _, tc := range []struct {
		name, role, pw string
		want           error
	}{
		{"nobody", UserOfficer, "secret-1", ErrNoUser},
		{"admin", "boss", "secret-1", nil},
		{"admin", UserOfficer, "123", nil},
	} {
		err := s.ResetUser(ctx, tc.name, "", tc.role, tc.pw)
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("reset %s/%s/%s: %v, want an error (%v)", tc.name, tc.role, tc.pw, err, tc.want)
		}
	}
	if users, err := s.Users(ctx); err != nil || len(users) != 1 {
		t.Fatalf("users %+v %v", users, err)
	}
}
