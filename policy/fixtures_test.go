package policy_test

import (
	"fmt"
	"strings"

	"github.com/kmsim/kmsim/policy"
)

// Shared fixtures of the tests, fuzz seeds and benchmarks.
const (
	acct      = "111122223333"
	otherAcct = "444455556666"
	keyID     = "1234abcd-12ab-34cd-56ef-1234567890ab"
	keyARN    = "arn:aws:kms:us-east-1:" + acct + ":key/" + keyID
	rootARN   = "arn:aws:iam::" + acct + ":root"
	adminARN  = "arn:aws:iam::" + acct + ":role/KeyAdmin"
	userARN   = "arn:aws:iam::" + acct + ":role/KeyUser"
	aliceARN  = "arn:aws:iam::" + acct + ":user/alice"
	bobARN    = "arn:aws:iam::" + acct + ":user/bob"
	otherRoot = "arn:aws:iam::" + otherAcct + ":root"
	otherUser = "arn:aws:iam::" + otherAcct + ":user/carol"
)

// consolePolicy is the console default key policy of spec §7.5 with key
// administrators, key users and the grant statement, pretty-printed as
// the console writes it.
func consolePolicy(account string) string {
	return `{
    "Id": "key-consolepolicy-3",
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::` + account + `:root"
            },
            "Action": "kms:*",
            "Resource": "*"
        },
        {
            "Sid": "Allow access for Key Administrators",
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::` + account + `:role/KeyAdmin"
            },
            "Action": [
                "kms:Create*",
                "kms:Describe*",
                "kms:Enable*",
                "kms:List*",
                "kms:Put*",
                "kms:Update*",
                "kms:Revoke*",
                "kms:Disable*",
                "kms:Get*",
                "kms:Delete*",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion",
                "kms:ReplicateKey",
                "kms:UpdatePrimaryRegion"
            ],
            "Resource": "*"
        },
        {
            "Sid": "Allow use of the key",
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::` + account + `:role/KeyUser"
            },
            "Action": [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:DescribeKey"
            ],
            "Resource": "*"
        },
        {
            "Sid": "Allow attachment of persistent resources",
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::` + account + `:role/KeyUser"
            },
            "Action": [
                "kms:CreateGrant",
                "kms:ListGrants",
                "kms:RevokeGrant"
            ],
            "Resource": "*",
            "Condition": {
                "Bool": {
                    "kms:GrantIsForAWSResource": "true"
                }
            }
        }
    ]
}`
}

// crossAccountPolicy lets another account use the key for cryptography.
const crossAccountPolicy = `{
  "Version": "2012-10-17",
  "Id": "cross-account",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow an external account to use this KMS key", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::444455556666:root"]},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
     "Resource": "*"},
    {"Sid": "Deny replicas outside Europe", "Effect": "Deny", "Principal": "*",
     "Action": "kms:ReplicateKey", "Resource": "*",
     "Condition": {"StringNotLike": {"kms:ReplicaRegion": ["eu-*"]}}}
  ]
}`

// conditionsPolicy uses several operator families.
const conditionsPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Allow use via S3 only", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyUser"},
     "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
     "Condition": {
       "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": "111122223333"},
       "StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::reports/*"},
       "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
       "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
       "NumericLessThanEquals": {"kms:RecipientAttestation:Version": 3},
       "Bool": {"aws:SecureTransport": true},
       "ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["aws:s3:arn", "tenant"]},
       "Null": {"kms:GranteePrincipal": "true"},
       "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Key*"}
     }},
    {"Sid": "Per-user keys", "Effect": "Allow",
     "Principal": {"AWS": "*"}, "Action": "kms:Encrypt", "Resource": "*",
     "Condition": {"StringEquals": {"kms:EncryptionContext:user": "${aws:username}",
                                    "kms:CallerAccount": "111122223333"}}},
    {"Sid": "No deletion", "Effect": "Deny", "Principal": "*",
     "Action": ["kms:ScheduleKeyDeletion", "kms:Delete*"], "Resource": "*",
     "Condition": {"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/role": "Admin"}}}
  ]
}`

// twentyStatements is a 20-statement key policy with conditions.
func twentyStatements() string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Id":"twenty","Statement":[`)
	b.WriteString(`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`)
	for i := 1; i < 19; i++ {
		fmt.Fprintf(&b, `,{"Sid":"Statement %d","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/App%d","arn:aws:iam::111122223333:user/dev%d"]},`+
			`"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*",`+
			`"Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com","kms:EncryptionContext:tenant":"t%d"},`+
			`"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::bucket-%d/*"},"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"}}}`,
			i, i, i, i, i, i)
	}
	b.WriteString(`,{"Sid":"Deny outside the VPC","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",` +
		`"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"},"Bool":{"aws:ViaAWSService":"false"}}}]}`)
	return b.String()
}

// bigPolicy returns a pretty-printed policy just under 32 KiB.
func bigPolicy() string {
	head := "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"big\",\n  \"Statement\" : [ {\n" +
		"    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n" +
		"    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::111122223333:root\"\n    },\n" +
		"    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  }"
	var b strings.Builder
	b.WriteString(head)
	for i := 1; ; i++ {
		st := fmt.Sprintf(", {\n    \"Sid\" : \"Allow use of the key by application %d\",\n    \"Effect\" : \"Allow\",\n"+
			"    \"Principal\" : {\n      \"AWS\" : [ \"arn:aws:iam::111122223333:role/application-%d\", \"arn:aws:iam::111122223333:user/operator-%d\" ]\n    },\n"+
			"    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:DescribeKey\" ],\n"+
			"    \"Resource\" : \"*\",\n"+
			"    \"Condition\" : {\n      \"StringEquals\" : {\n        \"kms:ViaService\" : \"secretsmanager.us-east-1.amazonaws.com\",\n"+
			"        \"kms:EncryptionContext:SecretARN\" : \"arn:aws:secretsmanager:us-east-1:111122223333:secret:app-%d\"\n      }\n    }\n  }", i, i, i, i)
		if b.Len()+len(st)+len("\n  ]\n}") > 32700 {
			break
		}
		b.WriteString(st)
	}
	b.WriteString(" ]\n}")
	return b.String()
}

// seedPolicies are real-looking policies for tests and fuzz corpora.
func seedPolicies() []string {
	return []string{
		policy.Default("aws", acct),
		policy.Default("aws-cn", acct),
		consolePolicy(acct),
		crossAccountPolicy,
		conditionsPolicy,
		twentyStatements(),
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}`,
		`{"Version":"2008-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333"]},"NotAction":"kms:Describe*","NotResource":"arn:aws:kms:*:111122223333:key/*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"Service","Effect":"Allow","Principal":{"Service":["cloudtrail.amazonaws.com","logs.us-east-1.amazonaws.com"]},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]},"StringLikeIfExists":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}]}`,
	}
}

// mustParse parses a key policy or panics.
func mustParse(text string) *policy.Document {
	d, err := policy.Parse(text)
	if err != nil {
		panic(err)
	}
	return d
}

// mustIdentity parses an identity policy or panics.
func mustIdentity(text string) *policy.Document {
	d, err := policy.ParseIdentity(text)
	if err != nil {
		panic(err)
	}
	return d
}

// caller returns the Principal of an ARN or panics.
func caller(arn string) policy.Principal {
	p, ok := policy.ParsePrincipal(arn)
	if !ok {
		panic("bad principal " + arn)
	}
	return p
}

// allowAllIdentity is an IAM policy allowing every KMS action.
const allowAllIdentity = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`
