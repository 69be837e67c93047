package region

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ID is a Region code such as "us-east-1".
type ID string

// String returns the Region code.
func (id ID) String() string { return string(id) }

// Region describes one AWS Region that has a KMS endpoint.
type Region struct {
	ID        ID
	Name      string // "US East (N. Virginia)"
	Partition string // partition ID, e.g. "aws"
	// OptIn reports that the Region is disabled by default: an account must
	// enable it before it can be used (aws partition, launched after
	// 20 March 2019).
	OptIn bool
	// MRKListedUnsupportedIn2023 reports that the May-2023 KMS Developer
	// Guide listed the Region as not supporting multi-Region keys. It is
	// informational only; this package attaches no behaviour to it.
	MRKListedUnsupportedIn2023 bool
}

// Partition describes one AWS partition.
type Partition struct {
	ID                   string // "aws", "aws-cn", ... (equals the ARN partition)
	Name                 string // "AWS Standard"
	DNSSuffix            string // "amazonaws.com"
	RegionRegex          string // botocore regular expression for the partition's Region codes
	ImplicitGlobalRegion ID     // Region serving global endpoints, e.g. "us-east-1"
	// Regions lists the partition's KMS Regions, sorted. Functions returning
	// a Partition return a fresh copy of this slice.
	Regions []ID
}

// CodePattern is the KMS RegionType pattern, with the exact text KMS quotes
// in ValidationException messages. [ValidCode] implements it without regexp.
const CodePattern = `^([a-z]+-){2,3}\d+$`

// maxCodeLen is the maximum length of the KMS RegionType shape.
const maxCodeLen = 32

//go:embed regions.json
var regionsJSON []byte

// tables holds everything derived from regions.json. It is built once at
// package initialisation and never modified afterwards.
type tables struct {
	all        []Region       // partition order, then ID
	byID       map[ID]int     // index into all
	partitions []Partition    // data order
	partByID   map[string]int // index into partitions
	partOf     []int          // index into partitions, parallel to all
	regexps    []*regexp.Regexp
}

var tab = load(regionsJSON)

// dataFile mirrors the layout of regions.json.
type dataFile struct {
	Partitions []struct {
		ID                   string `json:"id"`
		Name                 string `json:"name"`
		ARNPartition         string `json:"arnPartition"`
		DNSSuffix            string `json:"dnsSuffix"`
		RegionRegex          string `json:"regionRegex"`
		ImplicitGlobalRegion string `json:"implicitGlobalRegion"`
		Regions              []struct {
			ID            string `json:"id"`
			Name          string `json:"name"`
			OptInRequired bool   `json:"optInRequired"`
			KMSEndpoint   bool   `json:"kmsEndpoint"`
			MRKUnsupp2023 bool   `json:"mrkListedUnsupportedIn2023Docs"`
		} `json:"regions"`
	} `json:"partitions"`
}

// load parses the embedded data. The data is ours, so any inconsistency is a
// programming error and panics during package initialisation.
func load(data []byte) *tables {
	var f dataFile
	if err := json.Unmarshal(data, &f); err != nil {
		panic(fmt.Sprintf("region: parsing embedded regions.json: %v", err))
	}
	if len(f.Partitions) == 0 {
		panic("region: embedded regions.json lists no partitions")
	}
	t := &tables{
		byID:     make(map[ID]int),
		partByID: make(map[string]int),
	}
	for pi, jp := range f.Partitions {
		if jp.ID == "" || jp.ID != jp.ARNPartition {
			panic(fmt.Sprintf("region: partition %q has ARN partition %q", jp.ID, jp.ARNPartition))
		}
		if _, dup := t.partByID[jp.ID]; dup {
			panic(fmt.Sprintf("region: duplicate partition %q", jp.ID))
		}
		re, err := regexp.Compile(jp.RegionRegex)
		if err != nil {
			panic(fmt.Sprintf("region: partition %q: bad region regex: %v", jp.ID, err))
		}
		p := Partition{
			ID:                   jp.ID,
			Name:                 jp.Name,
			DNSSuffix:            jp.DNSSuffix,
			RegionRegex:          jp.RegionRegex,
			ImplicitGlobalRegion: ID(jp.ImplicitGlobalRegion),
		}
		var rs []Region
		for _, jr := range jp.Regions {
			if !jr.KMSEndpoint {
				continue // not a KMS Region
			}
			id := ID(jr.ID)
			if !ValidCode(jr.ID) {
				panic(fmt.Sprintf("region: invalid Region code %q", jr.ID))
			}
			if _, dup := t.byID[id]; dup {
				panic(fmt.Sprintf("region: duplicate Region %q", jr.ID))
			}
			t.byID[id] = -1 // placeholder; indexes are set after sorting
			rs = append(rs, Region{
				ID:                         id,
				Name:                       jr.Name,
				Partition:                  jp.ID,
				OptIn:                      jr.OptInRequired,
				MRKListedUnsupportedIn2023: jr.MRKUnsupp2023,
			})
		}
		slices.SortFunc(rs, func(a, b Region) int { return strings.Compare(string(a.ID), string(b.ID)) })
		for _, r := range rs {
			t.byID[r.ID] = len(t.all)
			t.all = append(t.all, r)
			t.partOf = append(t.partOf, pi)
			p.Regions = append(p.Regions, r.ID)
		}
		if !slices.Contains(p.Regions, p.ImplicitGlobalRegion) {
			panic(fmt.Sprintf("region: partition %q: implicit global Region %q is not one of its Regions",
				p.ID, p.ImplicitGlobalRegion))
		}
		t.partByID[p.ID] = pi
		t.partitions = append(t.partitions, p)
		t.regexps = append(t.regexps, re)
	}
	if _, ok := t.partByID["aws"]; !ok {
		panic(`region: embedded regions.json has no "aws" partition`)
	}
	return t
}

// Lookup returns the KMS Region with the given code. It reports false for
// unknown codes and for pseudo-Regions such as "aws-global".
func Lookup(id ID) (Region, bool) {
	i, ok := tab.byID[id]
	if !ok {
		return Region{}, false
	}
	return tab.all[i], true
}

// All returns every KMS Region, ordered by partition (in the order of
// [Partitions]) and then by ID. The slice is a fresh copy.
func All() []Region {
	return slices.Clone(tab.all)
}

// Partitions returns every partition in data order, "aws" first. The
// result, including each Partition's Regions, is a fresh copy.
func Partitions() []Partition {
	ps := make([]Partition, len(tab.partitions))
	for i := range tab.partitions {
		ps[i] = partitionCopy(i)
	}
	return ps
}

// LookupPartition returns the partition with the given ID (which equals the
// partition field of its ARNs), such as "aws" or "aws-us-gov".
func LookupPartition(id string) (Partition, bool) {
	i, ok := tab.partByID[id]
	if !ok {
		return Partition{}, false
	}
	return partitionCopy(i), true
}

// PartitionFor returns the partition a Region code belongs to: the partition
// of a known Region, else the first partition (in data order) whose
// RegionRegex matches the code, as AWS SDKs resolve unknown Region codes,
// else "aws". It never fails: "us-invalid-1" resolves to "aws" and
// "cn-foo-1" to "aws-cn", which lets a caller tell "another partition" from
// "unknown Region in this partition".
//
// Callers that only need the partition ID of a known Region can read the
// Partition field of the Region that [Lookup] returns, which does not
// allocate.
func PartitionFor(id ID) Partition {
	if i, ok := tab.byID[id]; ok {
		return partitionCopy(tab.partOf[i])
	}
	for i, re := range tab.regexps {
		if re.MatchString(string(id)) {
			return partitionCopy(i)
		}
	}
	return partitionCopy(tab.partByID["aws"])
}

// partitionCopy returns partition i with its own copy of Regions, so that
// callers cannot modify the tables.
func partitionCopy(i int) Partition {
	p := tab.partitions[i]
	p.Regions = slices.Clone(p.Regions)
	return p
}

// ValidCode reports whether s satisfies the constraints of the KMS
// RegionType shape: length 1 to 32 and the pattern [CodePattern], matched
// against the whole string. It says nothing about whether the Region
// exists; use [Lookup] for that.
func ValidCode(s string) bool {
	n := len(s)
	if n < 1 || n > maxCodeLen {
		return false
	}
	// Groups of one or more lowercase letters, each followed by '-'.
	groups, run, i := 0, 0, 0
	for ; i < n; i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			run++
			continue
		}
		if c != '-' {
			break
		}
		if run == 0 {
			return false
		}
		groups++
		run = 0
	}
	// The letters must end with a '-' and be followed by at least one digit.
	if run != 0 || groups < 2 || groups > 3 || i == n {
		return false
	}
	for ; i < n; i++ {
		if c := s[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}
