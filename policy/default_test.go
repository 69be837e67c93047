package policy_test

import (
	"encoding/json"
	"testing"

	"github.com/kmsim/kmsim/policy"
)

func TestDefaultIsByteExact(t *testing.T) {
	want := "{\n" +
		"  \"Version\" : \"2012-10-17\",\n" +
		"  \"Id\" : \"key-default-1\",\n" +
		"  \"Statement\" : [ {\n" +
		"    \"Sid\" : \"Enable IAM User Permissions\",\n" +
		"    \"Effect\" : \"Allow\",\n" +
		"    \"Principal\" : {\n" +
		"      \"AWS\" : \"arn:aws-cn:iam::111122223333:root\"\n" +
		"    },\n" +
		"    \"Action\" : \"kms:*\",\n" +
		"    \"Resource\" : \"*\"\n" +
		"  } ]\n" +
		"}"
	if got := policy.Default("aws-cn", "111122223333"); got != want {
		t.Fatalf("Default() =\n%s\nwant\n%s", got, want)
	}
}

func TestDefaultIsJSON(t *testing.T) {
	var doc struct {
		Statement []struct {
			Principal struct{ AWS string }
		}
	}
	if err := json.Unmarshal([]byte(policy.Default("aws", "123456789012")), &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Statement[0].Principal.AWS; got != "arn:aws:iam::123456789012:root" {
		t.Fatalf("principal %q", got)
	}
}
