package policy

// Default returns the programmatic default key policy for a key in the
// given partition and account, byte for byte as KMS returns it from
// GetKeyPolicy and in ReplicateKey's ReplicaPolicy (spec §5.4, §7.5):
// two-space indent, spaces around colons and no trailing newline.
func Default(partition, account string) string {
	return defaultHead + "arn:" + partition + ":iam::" + account + ":root" + defaultTail
}

const defaultHead = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "`

const defaultTail = `"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
