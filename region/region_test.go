package region_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/region"
)

// wantRegions is KMS-SPEC-02 §2.2: every KMS Region and its partition.
var wantRegions = map[region.ID]string{
	"af-south-1": "aws", "ap-east-1": "aws", "ap-east-2": "aws",
	"ap-northeast-1": "aws", "ap-northeast-2": "aws", "ap-northeast-3": "aws",
	"ap-south-1": "aws", "ap-south-2": "aws",
	"ap-southeast-1": "aws", "ap-southeast-2": "aws", "ap-southeast-3": "aws",
	"ap-southeast-4": "aws", "ap-southeast-5": "aws", "ap-southeast-6": "aws",
	"ap-southeast-7": "aws",
	"ca-central-1":   "aws", "ca-west-1": "aws",
	"eu-central-1": "aws", "eu-central-2": "aws", "eu-north-1": "aws",
	"eu-south-1": "aws", "eu-south-2": "aws",
	"eu-west-1": "aws", "eu-west-2": "aws", "eu-west-3": "aws",
	"il-central-1": "aws", "me-central-1": "aws", "me-south-1": "aws",
	"mx-central-1": "aws", "sa-east-1": "aws",
	"us-east-1": "aws", "us-east-2": "aws", "us-west-1": "aws", "us-west-2": "aws",
	"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
	"us-gov-east-1": "aws-us-gov", "us-gov-west-1": "aws-us-gov",
	"us-iso-east-1": "aws-iso", "us-iso-west-1": "aws-iso",
	"us-isob-east-1": "aws-iso-b", "us-isob-west-1": "aws-iso-b",
	"eu-isoe-west-1": "aws-iso-e",
	"us-isof-east-1": "aws-iso-f", "us-isof-south-1": "aws-iso-f",
	"eusc-de-east-1": "aws-eusc",
}

// wantOptIn is the list of opt-in Regions in KMS-SPEC-02 §2.2.
var wantOptIn = []region.ID{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3",
	"ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
	"eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1",
	"me-south-1", "mx-central-1",
}

// wantMRKUnsupported2023 is the May-2023 guide's list (KMS-SPEC-02 §2.4).
var wantMRKUnsupported2023 = []region.ID{
	"ap-south-2", "cn-north-1", "cn-northwest-1", "eu-south-2", "eu-central-2", "me-central-1",
}

// wantPartitions is KMS-SPEC-02 §2.1 in data order, with implicit global Regions.
var wantPartitions = []struct {
	id, dns string
	global  region.ID
	regions int
}{
	{"aws", "amazonaws.com", "us-east-1", 34},
	{"aws-cn", "amazonaws.com.cn", "cn-northwest-1", 2},
	{"aws-us-gov", "amazonaws.com", "us-gov-west-1", 2},
	{"aws-iso", "c2s.ic.gov", "us-iso-east-1", 2},
	{"aws-iso-b", "sc2s.sgov.gov", "us-isob-east-1", 2},
	{"aws-iso-e", "cloud.adc-e.uk", "eu-isoe-west-1", 1},
	{"aws-iso-f", "csp.hci.ic.gov", "us-isof-south-1", 2},
	{"aws-eusc", "amazonaws.eu", "eusc-de-east-1", 1},
}

func TestAllRegions(t *testing.T) {
	if len(wantRegions) != 46 {
		t.Fatalf("test table has %d Regions, want 46", len(wantRegions))
	}
	all := region.All()
	if len(all) != 46 {
		t.Fatalf("len(All()) = %d, want 46", len(all))
	}
	for id, part := range wantRegions {
		r, ok := region.Lookup(id)
		if !ok {
			t.Errorf("Lookup(%q) not found", id)
			continue
		}
		if r.ID != id || r.Partition != part || r.Name == "" {
			t.Errorf("Lookup(%q) = %+v, want ID %q, partition %q and a name", id, r, id, part)
		}
		if !region.ValidCode(string(id)) {
			t.Errorf("ValidCode(%q) = false", id)
		}
		if got := region.PartitionFor(id).ID; got != part {
			t.Errorf("PartitionFor(%q) = %q, want %q", id, got, part)
		}
		if r.OptIn != slices.Contains(wantOptIn, id) {
			t.Errorf("Lookup(%q).OptIn = %v", id, r.OptIn)
		}
		if r.MRKListedUnsupportedIn2023 != slices.Contains(wantMRKUnsupported2023, id) {
			t.Errorf("Lookup(%q).MRKListedUnsupportedIn2023 = %v", id, r.MRKListedUnsupportedIn2023)
		}
	}
	if r, _ := region.Lookup("us-east-1"); r.Name != "US East (N. Virginia)" {
		t.Errorf("us-east-1 name = %q", r.Name)
	}
}

func TestAllOrder(t *testing.T) {
	all := region.All()
	partIndex := map[string]int{}
	for i, p := range region.Partitions() {
		partIndex[p.ID] = i
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		pa, pb := partIndex[a.Partition], partIndex[b.Partition]
		if pa > pb || pa == pb && a.ID >= b.ID {
			t.Errorf("All()[%d..%d] = %q (%s), %q (%s): out of order", i-1, i, a.ID, a.Partition, b.ID, b.Partition)
		}
	}
	if all[0].ID != "af-south-1" || all[len(all)-1].ID != "eusc-de-east-1" {
		t.Errorf("All() runs from %q to %q", all[0].ID, all[len(all)-1].ID)
	}
}

func TestOptInRegions(t *testing.T) {
	var got []region.ID
	for _, r := range region.All() {
		if r.OptIn {
			got = append(got, r.ID)
		}
	}
	want := slices.Sorted(slices.Values(wantOptIn))
	if !slices.Equal(got, want) {
		t.Errorf("opt-in Regions =\n%v\nwant\n%v", got, want)
	}
	if len(got) != 17 {
		t.Errorf("%d opt-in Regions, want 17", len(got))
	}
}

func TestPartitions(t *testing.T) {
	ps := region.Partitions()
	if len(ps) != len(wantPartitions) {
		t.Fatalf("len(Partitions()) = %d, want %d", len(ps), len(wantPartitions))
	}
	total := 0
	for i, w := range wantPartitions {
		p := ps[i]
		if p.ID != w.id || p.DNSSuffix != w.dns || p.ImplicitGlobalRegion != w.global || len(p.Regions) != w.regions {
			t.Errorf("Partitions()[%d] = %s %s %s %d Regions, want %s %s %s %d",
				i, p.ID, p.DNSSuffix, p.ImplicitGlobalRegion, len(p.Regions), w.id, w.dns, w.global, w.regions)
		}
		if p.Name == "" {
			t.Errorf("partition %s has no name", p.ID)
		}
		if !slices.IsSorted(p.Regions) {
			t.Errorf("partition %s Regions not sorted: %v", p.ID, p.Regions)
		}
		re, err := regexp.Compile(p.RegionRegex)
		if err != nil {
			t.Fatalf("partition %s regex: %v", p.ID, err)
		}
		for _, id := range p.Regions {
			if r, ok := region.Lookup(id); !ok || r.Partition != p.ID {
				t.Errorf("partition %s lists %q, Lookup = %+v, %v", p.ID, id, r, ok)
			}
			if !re.MatchString(string(id)) {
				t.Errorf("partition %s: Region %q does not match %s", p.ID, id, p.RegionRegex)
			}
		}
		if !slices.Contains(p.Regions, p.ImplicitGlobalRegion) {
			t.Errorf("partition %s: implicit global Region %q not listed", p.ID, p.ImplicitGlobalRegion)
		}
		lp, ok := region.LookupPartition(w.id)
		if !ok || lp.ID != w.id || !slices.Equal(lp.Regions, p.Regions) {
			t.Errorf("LookupPartition(%q) = %+v, %v", w.id, lp, ok)
		}
		total += len(p.Regions)
	}
	if total != 46 {
		t.Errorf("partitions list %d Regions, want 46", total)
	}
	for _, id := range []string{"", "AWS", "aws-global", "aws-gov", "us-east-1"} {
		if p, ok := region.LookupPartition(id); ok {
			t.Errorf("LookupPartition(%q) = %+v, want not found", id, p)
		}
	}
}

// TestImmutable checks that callers cannot change the package's tables
// through returned slices.
func TestImmutable(t *testing.T) {
	region.All()[0].ID = "xx-yyy-1"
	region.Partitions()[0].Regions[0] = "xx-yyy-1"
	p, _ := region.LookupPartition("aws")
	p.Regions[0] = "xx-yyy-1"
	region.PartitionFor("us-east-1").Regions[0] = "xx-yyy-1"
	if _, ok := region.Lookup("xx-yyy-1"); ok {
		t.Fatal("Lookup found a Region written by a caller")
	}
	if got := region.All()[0].ID; got != "af-south-1" {
		t.Errorf("All()[0].ID = %q after caller writes", got)
	}
	if got := region.Partitions()[0].Regions[0]; got != "af-south-1" {
		t.Errorf("Partitions()[0].Regions[0] = %q after caller writes", got)
	}
}

func TestPseudoRegions(t *testing.T) {
	for _, id := range []region.ID{
		"aws-global", "aws-cn-global", "aws-us-gov-global", "aws-iso-global",
		"aws-iso-b-global", "aws-iso-e-global", "aws-iso-f-global",
		"", "US-EAST-1", "us-east-1 ", "us-east-1a", "us-invalid-1", "fips-us-east-1",
	} {
		if r, ok := region.Lookup(id); ok {
			t.Errorf("Lookup(%q) = %+v, want not found", id, r)
		}
	}
	// Pseudo-Regions have no trailing digits, so they also fail the model pattern.
	for _, id := range []string{"aws-global", "aws-cn-global", "aws-iso-b-global"} {
		if region.ValidCode(id) {
			t.Errorf("ValidCode(%q) = true", id)
		}
	}
}

func TestPartitionFor(t *testing.T) {
	for _, tc := range []struct {
		id   region.ID
		want string
	}{
		{"us-east-1", "aws"},
		{"us-invalid-1", "aws"},
		{"ap-nowhere-9", "aws"},
		{"cn-north-1", "aws-cn"},
		{"cn-foo-1", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
		{"us-gov-foo-1", "aws-us-gov"},
		{"us-iso-foo-1", "aws-iso"},
		{"us-isob-x-1", "aws-iso-b"},
		{"eu-isoe-x-1", "aws-iso-e"},
		{"us-isof-x-1", "aws-iso-f"},
		{"eusc-de-x-1", "aws-eusc"},
		{"zz-top-1", "aws"},
		{"aws-global", "aws"},
		{"aws-cn-global", "aws"},
		{"", "aws"},
		{"\xff\xfe", "aws"},
	} {
		if got := region.PartitionFor(tc.id); got.ID != tc.want {
			t.Errorf("PartitionFor(%q) = %q, want %q", tc.id, got.ID, tc.want)
		}
	}
}

func TestValidCode(t *testing.T) {
	re := regexp.MustCompile(region.CodePattern)
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"us-east-1", true},
		{"a-b-c-1", true},
		{"a-b-1", true},
		{"us-gov-west-1", true},
		{"eusc-de-east-1", true},
		{"us-west-0123456789", true},
		{"abcdefghijklmnopqrstuvwxyz-ab-12", true},   // 32 characters
		{"abcdefghijklmnopqrstuvwxyz-ab-123", false}, // 33 characters
		{"", false},
		{"US-EAST-1", false},
		{"us-East-1", false},
		{"us-east-1a", false},
		{"us-east-a1", false},
		{"us-1", false},
		{"us-east", false},
		{"us-east-", false},
		{"us-east1", false},
		{"a-b-c-d-1", false},
		{"-us-east-1", false},
		{"us--east-1", false},
		{"us-east--1", false},
		{"us_east-1", false},
		{"us-east-1\n", false},
		{"\nus-east-1", false},
		{" us-east-1", false},
		{"us-east-1-2", false},
		{"us-east-١", false},
		{"us-ea\xffst-1", false},
		{"aws-global", false},
		{"1", false},
	} {
		if got := region.ValidCode(tc.s); got != tc.want {
			t.Errorf("ValidCode(%q) = %v, want %v", tc.s, got, tc.want)
		}
		if ref := len(tc.s) <= 32 && re.MatchString(tc.s); ref != tc.want {
			t.Errorf("test case %q disagrees with regexp %s", tc.s, region.CodePattern)
		}
	}
	if region.CodePattern != `^([a-z]+-){2,3}\d+$` {
		t.Errorf("CodePattern = %q", region.CodePattern)
	}
	if s := strings.Repeat("a", 29) + "-b-1"; len(s) != 33 || region.ValidCode(s) {
		t.Errorf("ValidCode(%q) (33 chars) = true", s)
	}
}

func TestIDString(t *testing.T) {
	if got := region.ID("us-east-1").String(); got != "us-east-1" {
		t.Errorf("String() = %q", got)
	}
}
