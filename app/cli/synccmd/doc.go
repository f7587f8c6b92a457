// Package synccmd holds the commands that join a post and its station:
// identity and pairing (init, id, pair, unpair), syncing over the network
// or a USB stick (sync, node, exchange), the Syncthing discovery and relay
// servers a device uses (config), the station's and the county's views of
// their posts (station, county), the month report (report), and
// publishing releases down (release, update).
package synccmd
