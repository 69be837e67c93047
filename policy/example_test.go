package policy_test

import (
	"errors"
	"fmt"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
)

func ExampleParse() {
	doc, err := policy.Parse(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Allow use of the key",
    "Effect": "Allow",
    "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyUser"]},
    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*"],
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
  }]
}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Statements())
	fmt.Println(doc)

	_, err = policy.Parse(`{"Statement": [{"Sid": "Admins", "Effect": "allow", "Principal": "*"}]}`)
	var mp *kmserrors.MalformedPolicyDocumentException
	fmt.Println(errors.As(err, &mp), mp.Message)
	// Output:
	// 1
	// {"Version":"2012-10-17","Statement":[{"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyUser"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}
	// true Statement #0 ("Admins"): Effect must be "Allow" or "Deny", not "allow".
}

func ExampleAuthorize() {
	key, _ := policy.Parse(policy.Default("aws", "111122223333"))
	iam, _ := policy.ParseIdentity(`{"Version": "2012-10-17", "Statement": {
  "Sid": "EncryptOnly", "Effect": "Allow", "Action": "kms:Encrypt",
  "Resource": "arn:aws:kms:*:111122223333:key/*"}}`)
	alice, _ := policy.ParsePrincipal("arn:aws:iam::111122223333:user/alice")
	keyARN := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

	for _, action := range []string{"kms:Encrypt", "kms:Decrypt"} {
		req := &policy.Request{Action: action, Caller: alice, Resource: keyARN}
		dec := policy.Authorize(key, []*policy.Document{iam}, req)
		fmt.Printf("%v %s %q\n", dec.Effect, dec.Source, dec.Statement)
		fmt.Println(dec.Reason)
		if err := dec.Error(req); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// Allow identity-based "EncryptOnly"
	// key policy statement 'Enable IAM User Permissions' allows the request through the account principal, which lets IAM policies decide, and identity policy 0: statement 'EncryptOnly' allows the request
	// ImplicitDeny identity-based ""
	// key policy statement 'Enable IAM User Permissions' allows the request through the account principal, which lets IAM policies decide, but no identity-based policy allows the request
	// AccessDeniedException: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the kms:Decrypt action
}

func ExampleValidate() {
	admin, _ := policy.ParsePrincipal("arn:aws:iam::111122223333:role/KeyAdmin")
	opts := policy.ValidateOptions{
		Lockout: &policy.Request{Caller: admin, Resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
	}
	// The candidate lets KeyAdmin use the key but not change its policy.
	_, err := policy.Validate(`{"Statement": {"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
  "Action": "kms:Encrypt", "Resource": "*"}}`, opts)
	fmt.Println(err)

	_, err = policy.Validate(`{"Statement": {"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:group/Admins"},
  "Action": "kms:*", "Resource": "*"}}`, opts)
	fmt.Println(err)
	// Output:
	// MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.
	// MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals.
}

func ExampleDocument_Evaluate() {
	doc, _ := policy.Parse(`{"Statement": {"Sid": "Allow use of the key", "Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyUser"},
  "Action": "kms:Decrypt", "Resource": "*",
  "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}}`)
	user, _ := policy.ParsePrincipal("arn:aws:sts::111122223333:assumed-role/KeyUser/session")
	req := &policy.Request{
		Action:   "kms:Decrypt",
		Caller:   user,
		Resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		Context:  policy.Context{}.With("kms:ViaService", "ec2.us-east-1.amazonaws.com"),
	}
	fmt.Println(doc.Evaluate(req).Reason)
	req.Context = req.Context.With("kms:ViaService", "s3.us-east-1.amazonaws.com")
	fmt.Println(doc.Evaluate(req).Reason)
	// Output:
	// statement 'Allow use of the key' matched but condition StringEquals kms:ViaService failed
	// statement 'Allow use of the key' allows the request
}
