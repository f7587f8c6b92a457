package store

// The domain records are package record's (a pure leaf: the structs,
// their validation, the checks of ID numbers and phones); the store
// re-exports the names they use, so a screen, a command or sync says store.House
// as before and sees one type.

import "cunjing/store/record"

type (
	AuditEntry     = record.AuditEntry
	BoardTemplate  = record.BoardTemplate
	CostItem       = record.CostItem
	Emergency      = record.Emergency
	FieldError     = record.FieldError
	Holiday        = record.Holiday
	House          = record.House
	Household      = record.Household
	Member         = record.Member
	Meta           = record.Meta
	MonthApproval  = record.MonthApproval
	MonthRequest   = record.MonthRequest
	NetServer      = record.NetServer
	Notice         = record.Notice
	Patrol         = record.Patrol
	Post           = record.Post
	PrintRecord    = record.PrintRecord
	Record         = record.Record
	Release        = record.Release
	Resident       = record.Resident
	ShiftException = record.ShiftException
	ShiftRule      = record.ShiftRule
	Team           = record.Team
	Venue          = record.Venue
	Village        = record.Village
	VillageMap     = record.VillageMap
	Visit          = record.Visit
)

const (
	ApprovalApproved  = record.ApprovalApproved
	ApprovalUnlocked  = record.ApprovalUnlocked
	AuditApprove      = record.AuditApprove
	AuditClock        = record.AuditClock
	AuditExport       = record.AuditExport
	AuditLogin        = record.AuditLogin
	AuditPrint        = record.AuditPrint
	AuditUnlock       = record.AuditUnlock
	AuditView         = record.AuditView
	CatAlone          = record.CatAlone
	CatChild          = record.CatChild
	CatElderly        = record.CatElderly
	CatFloating       = record.CatFloating
	CatGrid           = record.CatGrid
	CatKey            = record.CatKey
	CatParty          = record.CatParty
	CatRental         = record.CatRental
	CatWubao          = record.CatWubao
	CensusAbsent      = record.CensusAbsent
	CensusAway        = record.CensusAway
	CensusConsistent  = record.CensusConsistent
	IDBadChar         = record.IDBadChar
	IDBadCheck        = record.IDBadCheck
	IDBadDate         = record.IDBadDate
	IDFutureBirth     = record.IDFutureBirth
	IDLong            = record.IDLong
	IDOK              = record.IDOK
	IDShort           = record.IDShort
	MobilityBedridden = record.MobilityBedridden
	MobilityImpaired  = record.MobilityImpaired
	MsgFuture         = record.MsgFuture
	RequestAsked      = record.RequestAsked
	RequestLate       = record.RequestLate
	RequestPending    = record.RequestPending
	RoleCounty        = record.RoleCounty
	RolePost          = record.RolePost
	RoleStation       = record.RoleStation
	ServerDiscovery   = record.ServerDiscovery
	ServerRelay       = record.ServerRelay
	StatusEmpty       = record.StatusEmpty
	StatusOwn         = record.StatusOwn
	StatusRented      = record.StatusRented
	UserAuxiliary     = record.UserAuxiliary
	UserOfficer       = record.UserOfficer
	UserStationAdmin  = record.UserStationAdmin
	WarnGreen         = record.WarnGreen
	WarnOrange        = record.WarnOrange
	WarnRed           = record.WarnRed
)

var (
	MemberRoles     = record.MemberRoles
	SealedWords     = record.SealedWords
	Above           = record.Above
	AuditActions    = record.AuditActions
	CanSeeIDs       = record.CanSeeIDs
	CheckIDNumber   = record.CheckIDNumber
	CheckIDNumberAt = record.CheckIDNumberAt
	IDBirthDate     = record.IDBirthDate
	IDCheckChar     = record.IDCheckChar
	IDGender        = record.IDGender
	LivesIn         = record.LivesIn
	MaskIDNumber    = record.MaskIDNumber
	NormalisePhone  = record.NormalisePhone
	Publishes       = record.Publishes
	ResidentNeeds   = record.ResidentNeeds
)
