package main

// Code lists and name pools the generator draws from. Everything a clean
// claim uses must be clean against every rule of scrubber/RULES.md (the default
// pack): supporting diagnoses complete to their 6th character, listed
// taxonomies on target claims, typical places of service, no related code
// of the pack on an ordinary claim.

// Supporting diagnoses of 0620T by side (the pack's laterality, longest
// prefix: I70.23/I70.33 right, I70.24/I70.34 left, x3/x4 of every
// bypass-graft family right/left; in the side-coded subcategories x0, x1,
// x2, x6, x9 the 6th character is the side). All are complete codes (6
// characters where the category needs them); none is weak (claudication,
// I70.x1-) nor coded for an unspecified extremity (6th character 9).
var (
	supportRight = []string{"I70234", "I70235", "I70238", "I70221", "I70261", "I70321", "I70331", "I70334",
		"I70361", "I70421", "I70431", "I70461", "I70521", "I70534", "I70561", "I70621", "I70661", "I70731", "I70761"}
	supportLeft = []string{"I70244", "I70245", "I70248", "I70222", "I70262", "I70322", "I70341", "I70344",
		"I70362", "I70422", "I70442", "I70462", "I70522", "I70544", "I70562", "I70622", "I70662", "I70742", "I70762"}
	// sided codes whose side is both legs
	supportBoth = []string{"I70223", "I70263", "I70323", "I70363", "I70423", "I70663"}
	// supporting diagnoses without a side: diabetic angiopathy, gangrene,
	// and the 6th character 8 (other extremity) of side-coded
	// subcategories, which is unsided even where the seed's 5-character
	// entry has a side (I70.32 left): the look-alikes of DX-LATERALITY-*
	supportUnsided = []string{"E1151", "E1152", "I96", "E1052", "E1351", "E0852", "E0951",
		"I70228", "I70268", "I70328", "I70368", "I70468"}
	// weak indications (claudication, DX-WEAK-SUPPORT) by side
	weakRight = []string{"I70211", "I70311", "I70411", "I70511", "I70611", "I70711"}
	weakLeft  = []string{"I70212", "I70312", "I70412", "I70512", "I70612", "I70712"}
	// supporting codes of an unspecified extremity (DX-LATERALITY-UNSPECIFIED)
	supportUnspecified = []string{"I70229", "I70269", "I70329", "I70369", "I70429", "I70469", "I70529",
		"I70569", "I70629", "I70669", "I70729", "I70769"}
	// ulcer severity codes (L97.-) a claim coding atherosclerosis with
	// ulceration of a leg also carries: right / left heel and midfoot, fat
	// layer exposed
	severityRight, severityLeft = "L97412", "L97422"
	// secondary diagnoses: well formed, not supporting, no side in the pack,
	// no Excludes1 pair with anything here, no ulceration code (L97 codes
	// are severity codes: allowed)
	secondaryDx = []string{"I10", "E785", "N184", "N186", "E1122", "E1165", "I2510", "Z794", "Z7902",
		"L97412", "L97422", "L97512", "L97522", "Z87891", "I5022", "J449", "E039", "E6601", "F17210", "D631", "Z992"}
	// secondary diagnoses that are not ulcer severity codes either
	plainSecondaryDx = []string{"I10", "E785", "N184", "N186", "E1122", "E1165", "I2510", "Z794", "Z7902",
		"Z87891", "I5022", "J449", "E039", "E6601", "F17210", "D631", "Z992"}
	// diagnoses of ordinary (non-target) claims
	generalDx = []string{"I10", "E119", "E785", "J189", "M545", "R079", "R0602", "K219", "N390", "Z0000",
		"J449", "I4891", "E039", "M1711", "M1712", "R109", "Z1231", "S8251XA", "L03115", "I739"}
)

// Procedure codes of ordinary claims and of the other lines of target
// claims. None of them is a related code of the pack (36200, 75710, 76140,
// 76937, 75820, 75822, 37252, 37253, 37224, 36475, 37280-37295).
type proc struct {
	code         string
	min, max     int64 // charge range in dollars
	sideModifier bool  // may carry RT/LT
}

var (
	emCodes = []proc{{"99213", 110, 180, false}, {"99214", 160, 260, false}, {"99215", 220, 340, false},
		{"99204", 210, 320, false}, {"99223", 280, 450, false}, {"99232", 110, 190, false},
		{"99233", 160, 260, false}, {"99284", 300, 650, false}, {"99285", 450, 900, false}}
	imagingCodes = []proc{{"71046", 60, 140, false}, {"73610", 70, 160, true}, {"73630", 70, 160, true},
		{"93922", 180, 320, false}, {"93923", 260, 420, false}, {"93925", 380, 620, false},
		{"93926", 240, 420, false}, {"93970", 380, 600, false}, {"70450", 400, 1100, false},
		{"72148", 900, 2100, false}, {"74177", 1100, 2600, false}, {"76700", 300, 520, false}}
	otherCodes = []proc{{"80053", 30, 90, false}, {"85025", 20, 60, false}, {"36415", 10, 25, false},
		{"93000", 40, 110, false}, {"11042", 220, 480, true}, {"97597", 120, 260, false},
		{"20610", 150, 300, true}, {"96372", 30, 80, false}}
	// non-related procedures billed with 0620T on its day (51 is then right)
	sameDayProcs = []proc{{"11042", 220, 480, true}, {"97597", 120, 260, false}, {"93925", 380, 620, false}}
	// inpatient / consult E/M around the procedure
	targetEM = []proc{{"99223", 280, 450, false}, {"99222", 220, 360, false}, {"99232", 110, 190, false},
		{"99233", 160, 260, false}, {"99204", 210, 320, false}, {"99214", 160, 260, false}}
)

// Related codes of the pack, by relationship, for planted defects and for
// the staged (other-day) lines of clean target claims.
var (
	includedCodes = []string{"36200", "75710", "76140", "76937", "75820", "75822", "37252", "37253"}
	// review codes valid in 2026 (37224 is not: it fires CODE-NOT-VALID-ON-DOS too)
	reviewCodes2026 = []string{"36475", "37280", "37281", "37282", "37283", "37284", "37285", "37286",
		"37287", "37288", "37289", "37290", "37291", "37292", "37293", "37294", "37295"}
	// staged diagnostic work on another day than 0620T
	stagedCodes       = []string{"75710", "36200", "75820"}
	overrideModifiers = []string{"59", "XE", "XS", "XP", "XU"}
)

// Modifiers a clean 0620T line may carry besides its side: listed and
// described (22, 62, 78, 79; 52 and 53 alone; 51 only with another
// procedure that day; 62 alone is one surgeon's share) and the payer's
// liability modifiers, which are never flagged. 23 is listed but is
// MOD-ANESTHESIA's.
var cleanExtraModifiers = []string{"22", "62", "78", "79", "52", "53", "GA", "KX", "GZ", "Q0"}

// unlistedModifiers are not in the pack's list, not anesthesia or payer
// modifiers and not sides (25 and 59 are known to be misplaced, and still
// unlisted).
var unlistedModifiers = []string{"76", "77", "59", "XS", "GC", "AI", "25", "24"}

// assistantModifiers bill an assistant at surgery's share of 0620T.
var assistantModifiers = []string{"80", "81", "82", "AS"}

// Taxonomies. Listed ones are in the pack's list for 0620T.
var (
	listedTaxonomies = []string{"2086S0129X", "207RI0011X", "2085R0204X", "213ES0103X", "2080S0002X", "207RH0000X",
		"207RC0000X", "2085R0202X", "208G00000X"}
	unlistedTaxonomies = []string{"207Q00000X", "207R00000X", "207RG0100X", "208600000X", "207X00000X",
		"363LF0000X", "208800000X", "208D00000X"}
	// group taxonomies name no specialty (the pack's group_taxonomies)
	groupTaxonomy = "193200000X"
)

// Typical places of service for 0620T, and others.
var (
	targetPOS   = []string{"22", "22", "22", "21", "21", "19"}
	ordinaryPOS = []string{"11", "11", "11", "22", "21", "23", "19", "24"}
	atypicalPOS = []string{"11", "24", "49", "23", "12"}
)

// Payers of every payer group the pack knows, and some of none.
type payer struct {
	name, id, filing string
}

var payers = []payer{
	{"MEDICARE PART B", "12202", "MB"},
	{"NOVITAS SOLUTIONS", "12502", "MB"},
	{"PALMETTO GBA", "11302", "MB"},
	{"NORIDIAN HEALTHCARE SOLUTIONS", "02402", "MB"},
	{"CGS ADMINISTRATORS", "15202", "MB"},
	{"WPS GOVERNMENT HEALTH ADMINISTRATORS", "05302", "MB"},
	{"FIRST COAST SERVICE OPTIONS", "09102", "MB"},
	{"NGS MEDICARE", "06102", "MB"},
	{"AETNA", "60054", "CI"},
	{"AETNA MEDICARE ADVANTAGE", "60054", "16"},
	{"UNITEDHEALTHCARE", "87726", "CI"},
	{"UNITED HEALTHCARE COMMUNITY PLAN", "87726", "HM"},
	{"CIGNA", "62308", "CI"},
	{"CIGNA HEALTHSPRING", "63092", "16"},
	{"BLUE CROSS BLUE SHIELD OF TEXAS", "84980", "BL"},
	{"ANTHEM BLUE CROSS", "47198", "BL"},
	{"BCBS OF MICHIGAN", "00710", "BL"},
	{"HIGHMARK BLUE SHIELD", "54771", "BL"},
	{"HUMANA", "61101", "CI"},
	{"KAISER PERMANENTE", "94134", "HM"},
	{"TRICARE EAST", "99726", "CH"},
	{"ILLINOIS MEDICAID", "77001", "MC"},
	{"MOLINA HEALTHCARE", "20149", "MC"},
}

var lastNames = []string{"SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS",
	"RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR",
	"MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK",
	"RAMIREZ", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES",
	"NGUYEN", "HILL", "FLORES", "GREEN", "ADAMS", "NELSON", "BAKER", "HALL", "RIVERA", "CAMPBELL",
	"MITCHELL", "CARTER", "ROBERTS", "OKAFOR", "KOWALSKI", "NAKAMURA", "OBRIEN", "SCHMIDT", "PATEL"}

var firstNames = []string{"JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA",
	"DAVID", "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH",
	"CHARLES", "KAREN", "CHRISTOPHER", "LISA", "DANIEL", "NANCY", "MATTHEW", "BETTY", "ANTHONY", "MARGARET",
	"MARK", "SANDRA", "DONALD", "ASHLEY", "STEVEN", "DOROTHY", "PAUL", "KIMBERLY", "ANDREW", "EMILY",
	"ROSA", "WEI", "AHMED", "FATIMA", "IVAN", "OLGA", "KENJI", "PRIYA"}

var streets = []string{"MAIN ST", "OAK AVE", "PINE RD", "MAPLE DR", "CEDAR LN", "ELM ST", "WASHINGTON BLVD",
	"LAKE SHORE DR", "PARK AVE", "HIGHLAND RD", "RIVER RD", "CHURCH ST", "MILL ST", "SUNSET BLVD"}

type city struct{ name, state, zip string }

var cities = []city{{"CHICAGO", "IL", "606120001"}, {"HOUSTON", "TX", "770300002"}, {"PHOENIX", "AZ", "850060003"},
	{"PHILADELPHIA", "PA", "191040004"}, {"SAN ANTONIO", "TX", "782290005"}, {"DALLAS", "TX", "752460006"},
	{"COLUMBUS", "OH", "432100007"}, {"CHARLOTTE", "NC", "282030008"}, {"INDIANAPOLIS", "IN", "462020009"},
	{"DENVER", "CO", "802180010"}, {"NASHVILLE", "TN", "372320011"}, {"DETROIT", "MI", "482010012"},
	{"BALTIMORE", "MD", "212870013"}, {"MILWAUKEE", "WI", "532260014"}, {"ATLANTA", "GA", "303220015"}}

var groupNames = []string{"VASCULAR ASSOCIATES", "LIMB SALVAGE CENTER", "HEART AND VASCULAR INSTITUTE",
	"ENDOVASCULAR SPECIALISTS", "FAMILY MEDICINE GROUP", "INTERNAL MEDICINE PARTNERS", "RADIOLOGY ASSOCIATES",
	"PODIATRY AND WOUND CARE", "MULTISPECIALTY CLINIC", "CARDIOLOGY CONSULTANTS", "SURGICAL GROUP"}

var hospitalNames = []string{"MERCY HOSPITAL", "ST LUKES MEDICAL CENTER", "UNIVERSITY HOSPITAL",
	"GENERAL HOSPITAL", "REGIONAL MEDICAL CENTER", "MEMORIAL HOSPITAL", "PRESBYTERIAN HOSPITAL"}
