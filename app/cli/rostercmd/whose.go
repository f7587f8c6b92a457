package rostercmd

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/store"
	"cunjing/store/tierdata"
)

// whose is the roster a command shows: the database's own (owner ""), or,
// at a station or county, which holds its posts' rosters side by side, the
// post --post names (owner its device ID, name its name).
type whose struct{ owner, name string }

// postFlag is --post, which names the post whose roster is shown at a
// station's or county's database.
func postFlag(fs *flag.FlagSet) *string {
	return fs.String("post", "", "at a station's (or county's) database: the post whose roster, by its name or device ID (the first 7 characters do)")
}

// rosterOf says whose roster command shows of s with --post post. A post's
// database shows its own (--post, if given, must name it). A station's or
// county's needs --post: without it, or naming no post or two, the error
// says in Chinese which posts there are (a usage error). Before, the
// station's rosters of every post came out as one, teams mixed, and its
// duty table was titled with the station's name.
func rosterOf(ctx context.Context, s *store.Store, command, post string) (whose, error) {
	post = strings.TrimSpace(post)
	posts, err := tierdata.ReportedPosts(ctx, s)
	if err != nil {
		return whose{}, err
	}
	profiles, err := s.Posts(ctx)
	if err != nil {
		return whose{}, err
	}
	profile := map[string]string{}
	for _, p := range profiles {
		profile[p.ID] = p.Name
	}
	if s.Role() == store.RolePost {
		if post == "" || names(post, s.DeviceID(), profile[s.DeviceID()]) {
			return whose{}, nil
		}
		return whose{}, fmt.Errorf("%w: --post %s: this is a post's database, holding its own roster only（这是警务室的数据库，只有本警务室的排班，不用 --post）", clikit.ErrUsage, post)
	}
	whoseDB := "派出所"
	if s.Role() == store.RoleCounty {
		whoseDB = "县公安局"
	}
	if len(posts) == 0 {
		return whose{}, fmt.Errorf("cunjing %s: %s holds no post's roster yet（这是%s的数据库，还没有任何警务室的排班：和警务室配对并同步以后才有）", command, s.Path(), whoseDB)
	}
	var found []tierdata.ReportedPost
	if post != "" {
		for _, p := range posts {
			if names(post, p.DeviceID, p.Name, profile[p.DeviceID]) {
				found = append(found, p)
			}
		}
		if len(found) == 1 {
			p := found[0]
			name := p.Name
			if n := profile[p.DeviceID]; n != "" {
				name = n
			}
			return whose{owner: p.DeviceID, name: name}, nil
		}
	}
	var b strings.Builder
	switch {
	case post == "":
		fmt.Fprintf(&b, "--post is needed at a %s's database（这是%s的数据库，里面有各警务室的排班：请用 --post 写明看哪个警务室的，写它的名称或设备号）：", s.Role(), whoseDB)
	case len(found) == 0:
		fmt.Fprintf(&b, "--post %s names no post here（这里没有警务室「%s」，有这些）：", post, post)
	default:
		fmt.Fprintf(&b, "--post %s names %d posts（叫「%s」的警务室不止一个，请写设备号）：", post, len(found), post)
	}
	list := posts
	if len(found) > 1 {
		list = found
	}
	for _, p := range list {
		name := p.Name
		if n := profile[p.DeviceID]; n != "" {
			name = n
		}
		fmt.Fprintf(&b, "\n  %s  --post %s", name, short(p.DeviceID))
	}
	return whose{}, fmt.Errorf("%w: %s", clikit.ErrUsage, b.String())
}

// names reports whether what was typed after --post names the device id
// (whole, or its first group of 7 characters, any case) or is one of its
// names.
func names(typed, id string, known ...string) bool {
	if strings.EqualFold(typed, id) || strings.EqualFold(typed, short(id)) {
		return true
	}
	for _, n := range known {
		if n != "" && typed == strings.TrimSpace(n) {
			return true
		}
	}
	return false
}

// short is a device ID's first group (7 characters), what --post takes.
func short(id string) string {
	first, _, _ := strings.Cut(id, "-")
	return first
}
