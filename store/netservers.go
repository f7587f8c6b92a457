package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/google/uuid"
)

func netServerID(kind, url string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:net_servers:"+kind+":"+url)).String()
}

// PublishedServers lists the live servers published by other devices (a
// post's stations), by kind and URL.
func (s *Store) PublishedServers(ctx context.Context) ([]NetServer, error) {
	all, err := live[NetServer](ctx, s, "ORDER BY kind, url")
	if err != nil {
		return nil, fmt.Errorf("published servers: %w", err)
	}
	out := all[:0]
	for _, n := range all {
		if n.Owner != s.device {
			out = append(out, n)
		}
	}
	return out, nil
}

// OwnServers lists the live servers this device publishes.
func (s *Store) OwnServers(ctx context.Context) ([]NetServer, error) {
	all, err := live[NetServer](ctx, s, "ORDER BY kind, url")
	if err != nil {
		return nil, fmt.Errorf("own published servers: %w", err)
	}
	out := all[:0]
	for _, n := range all {
		if n.Owner == s.device {
			out = append(out, n)
		}
	}
	return out, nil
}

// SetOwnServers makes servers (each with Kind and URL) the list this
// station publishes, in one transaction: new ones are added, ones no
// longer listed become tombstones, ones listed again come back. Only a
// station publishes; the caller checks the URLs' form.
func (s *Store) SetOwnServers(ctx context.Context, servers []NetServer) error {
	if s.role != RoleStation {
		return fmt.Errorf("publish servers: only a station publishes (this is a %s)", s.role)
	}
	want := map[string]NetServer{}
	for _, n := range servers {
		n := n
		if err := n.Validate(); err != nil {
			return err
		}
		want[netServerID(n.Kind, n.URL)] = n
	}
	return s.Update(ctx, func(tx *Tx) error {
		ti, err := tableOf("net_servers")
		if err != nil {
			return err
		}
		var have []string
		rows, err := tx.tx.QueryContext(tx.ctx, "SELECT id FROM net_servers WHERE owner = ? AND deleted = 0", s.device)
		if err != nil {
			return fmt.Errorf("publish servers: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			have = append(have, id)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, id := range have {
			if _, ok := want[id]; !ok {
				if err := tx.Delete(&NetServer{}, id); err != nil {
					return fmt.Errorf("publish servers: %w", err)
				}
			}
		}
		for id, n := range want {
			var cur NetServer
			err := tx.get(ti, id, reflect.ValueOf(&cur))
			switch {
			case err == nil && cur.Deleted:
				if err := tx.Restore(&NetServer{}, id); err != nil {
					return fmt.Errorf("publish servers: %w", err)
				}
			case err == nil:
			case errors.Is(err, ErrNotFound):
				rec := &NetServer{Meta: Meta{ID: id}, Kind: n.Kind, URL: n.URL}
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
