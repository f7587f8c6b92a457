package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/ledger"
)

func TestFirstRunPostWithAccountAndLedger(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "sub", "post.db")
	id := store.Identity{Name: "东河警务室", Township: "城关镇", Officer: "赵警官", Phone: "13900001111"}
	if err := createPost(ctx, db, id, "", "x"); err == nil {
		t.Fatal("created a post without a user name")
	}
	if err := createPost(ctx, db, id, "admin", "secret1"); err != nil {
		t.Fatal(err)
	}
	if err := createPost(ctx, db, id, "admin", "secret1"); err == nil {
		t.Fatal("overwrote an existing post")
	}
	csv := filepath.Join(dir, "台账.csv")
	data := "门牌号,户主姓名,姓名,与户主关系,身份证号,联系电话\n" +
		"203,王建国,王建国,户主,11010519491231002X,13812345678\n" +
		"203,王建国,刘桂兰,配偶,,\n" +
		"12,李秀英,李秀英,户主,11010519491231002Y,\n"
	if err := os.WriteFile(csv, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importLedgerFile(ctx, db, csv, ""); !errors.Is(err, ledger.ErrNoVillage) {
		t.Errorf("no village: %v", err)
	}
	rep, err := importLedgerFile(ctx, db, csv, "东河村")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || len(rep.Skipped) != 1 || !rep.Committed {
		t.Errorf("report %+v", rep)
	}
	if _, err := importLedgerFile(ctx, db, filepath.Join(dir, "missing.xlsx"), "东河村"); err == nil {
		t.Error("a missing ledger file imported")
	}
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.Login(ctx, "admin", "secret1", clocktest.Today(t))
	if err != nil || u.Role != store.UserOfficer || u.DisplayName != "赵警官" {
		t.Errorf("first account %+v %v", u, err)
	}
	if s.Role() != store.RolePost {
		t.Errorf("role %q", s.Role())
	}
	c, err := s.Counts(ctx, "")
	if err != nil || c.Villages != 1 || c.Households != 1 || c.Residents != 2 {
		t.Errorf("after the ledger: %+v %v", c, err)
	}
}

// The wizard's station: createPost makes a station database when asked,
// and refuses a role that is none of post, station and county.
func TestFirstRunStation(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "station.db")
	if err := createPost(ctx, db, store.Identity{Role: "province", Name: "省厅"}, "admin", "secret1"); err == nil {
		t.Fatal("created a database of an unknown role")
	}
	if err := createPost(ctx, db, store.Identity{Role: store.RoleStation, Name: "城关派出所"}, "admin", "secret1"); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Role() != store.RoleStation {
		t.Errorf("role %q", s.Role())
	}
}
