package tierdata

import (
	"context"
	"cunjing/store"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

func netServerID(kind, url string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:net_servers:"+kind+":"+url)).String()
}

// PublishedServers lists the live servers published by other devices (a
// post's stations), by kind and URL.
func PublishedServers(ctx context.Context, s *store.Store) ([]store.NetServer, error) {
	all, err := store.Live[store.NetServer](ctx, s, "ORDER BY kind, url")
	if err != nil {
		return nil, fmt.Errorf("published servers: %w", err)
	}
	out := all[:0]
	for _, n := range all {
		if n.Owner != s.DeviceID() {
			out = append(out, n)
		}
	}
	return out, nil
}

// OwnServers lists the live servers this device publishes.
func OwnServers(ctx context.Context, s *store.Store) ([]store.NetServer, error) {
	all, err := store.Live[store.NetServer](ctx, s, "ORDER BY kind, url")
	if err != nil {
		return nil, fmt.Errorf("own published servers: %w", err)
	}
	out := all[:0]
	for _, n := range all {
		if n.Owner == s.DeviceID() {
			out = append(out, n)
		}
	}
	return out, nil
}

// SetOwnServers makes servers (each with Kind and URL) the list this
// station publishes, in one transaction: new ones are added, ones no
// longer listed become tombstones, ones listed again come back. Only a
// station publishes; the caller checks the URLs' form.
func SetOwnServers(ctx context.Context, s *store.Store, servers []store.NetServer) error {
	if s.Role() != store.RoleStation {
		return fmt.Errorf("publish servers: only a station publishes (this is a %s)", s.Role())
	}
	want := map[string]store.NetServer{}
	for _, n := range servers {
		n := n
		if err := n.Validate(); err != nil {
			return err
		}
		want[netServerID(n.Kind, n.URL)] = n
	}
	return s.Update(ctx, func(tx *store.Tx) error {
		live, err := store.LiveTx[store.NetServer](tx, "AND owner = ?", s.DeviceID())
		if err != nil {
			return fmt.Errorf("publish servers: %w", err)
		}
		var have []string
		for _, n := range live {
			have = append(have, n.ID)
		}
		for _, id := range have {
			if _, ok := want[id]; !ok {
				if err := tx.Delete(&store.NetServer{}, id); err != nil {
					return fmt.Errorf("publish servers: %w", err)
				}
			}
		}
		for id, n := range want {
			var cur store.NetServer
			err := tx.Get(&cur, id)
			switch {
			case err == nil && cur.Deleted:
				if err := tx.Restore(&store.NetServer{}, id); err != nil {
					return fmt.Errorf("publish servers: %w", err)
				}
			case err == nil:
			case errors.Is(err, store.ErrNotFound):
				rec := &store.NetServer{Meta: store.Meta{ID: id}, Kind: n.Kind, URL: n.URL}
				if err := tx.Save(rec); err != nil {
					return fmt.Errorf("publish servers: %w", err)
				}
			default:
				return err
			}
		}
		return nil
	})
}
