package clikit

import (
	"context"
	"errors"
	"fmt"

	"cunjing/store"
)

// ErrPostOnly is a command that enters a post's own records (a household
// ledger, a village map, its georeference, a traced scan) pointed at a
// station's or county's database.
var ErrPostOnly = errors.New("this command is for a post's database")

// OpenPostDB opens the database at path (OpenDB) for command, which enters
// a post's own records; why says in Chinese where that is done instead. A
// station's or county's database is refused before anything is written:
// what the command wrote there would be the station's own record, not the
// post's, and a station's own households or maps are no post's to change
// (ARCHITECTURE.md, "Whose record a station makes"). The window likewise
// offers no 新建住户 or 导入台账 at a station, and its map is read-only
// there. The caller closes the store.
func OpenPostDB(ctx context.Context, env *Env, path, command, why string) (*store.Store, error) {
	s, err := OpenDB(ctx, env, path)
	if err != nil {
		return nil, err
	}
	if err := PostOnly(s, command, why); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// PostOnly refuses a station's or county's database for command (see
// OpenPostDB).
func PostOnly(s *store.Store, command, why string) error {
	role := s.Role()
	if role == store.RolePost {
		return nil
	}
	whose := "派出所"
	if role == store.RoleCounty {
		whose = "县公安局"
	}
	return fmt.Errorf("%w: cunjing %s writes a post's records, and %s is a %s's; nothing was changed（cunjing %s 只用于警务室的数据库，这是%s的数据库：%s。没有作任何修改）",
		ErrPostOnly, command, s.Path(), role, command, whose, why)
}
