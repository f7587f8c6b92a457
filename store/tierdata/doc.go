// Package tierdata is what the store holds of the tree of devices (posts,
// their station, the county) beyond each one's own records: the posts this
// device reports on (ReportedPosts: the one list the month report and the
// county's overview count over), the Syncthing servers a station publishes
// down to its posts (PublishedServers, OwnServers, SetOwnServers) and the
// releases it carries to them (Releases, ReleaseID). It sits above store and
// uses its exported API only.
package tierdata
