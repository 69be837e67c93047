package engine

import (
	"fmt"
	"strconv"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// defaultPolicyName is the only key policy name KMS knows.
const defaultPolicyName = "default"

// PutKeyPolicyInput is the PutKeyPolicy request.
type PutKeyPolicyInput struct {
	KeyID string `json:"keyId"`
	// PolicyName may only be "default"; empty means "default".
	PolicyName                     string `json:"policyName,omitempty"`
	Policy                         string `json:"policy"`
	BypassPolicyLockoutSafetyCheck bool   `json:"bypassPolicyLockoutSafetyCheck"`
}

// PutKeyPolicyOutput is the (empty) PutKeyPolicy response.
type PutKeyPolicyOutput struct{}

// PutKeyPolicy replaces a key's policy after validating it (spec §7.3),
// including the lockout safety check unless bypassed. Related
// multi-Region keys keep their own policies.
//
// It returns ValidationException, InvalidArnException, NotFoundException,
// AccessDeniedException, LimitExceededException and
// MalformedPolicyDocumentException.
func (e *Engine) PutKeyPolicy(c Caller, in PutKeyPolicyInput) (*PutKeyPolicyOutput, error) {
	return run(e, "PutKeyPolicy", c, in, func(cl *call, in PutKeyPolicyInput) (*PutKeyPolicyOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.policyName(in.PolicyName)
		if v.required("policy", in.Policy) {
			v.policy("policy", in.Policy)
		}
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.target(in.KeyID, keyOnly, conditions{
			"kms:BypassPolicyLockoutSafetyCheck": {strconv.FormatBool(in.BypassPolicyLockoutSafetyCheck)},
		})
		if err != nil {
			return nil, err
		}
		if err := checkPolicyName(in.PolicyName); err != nil {
			return nil, err
		}
		doc, err := cl.validatePolicy(in.Policy, in.BypassPolicyLockoutSafetyCheck, k.ARN, k.Region, conditions{}.key(k))
		if err != nil {
			return nil, err
		}
		k.Policy, k.PolicyDoc = in.Policy, doc
		return &PutKeyPolicyOutput{}, nil
	})
}

// GetKeyPolicyInput is the GetKeyPolicy request.
type GetKeyPolicyInput struct {
	KeyID string `json:"keyId"`
	// PolicyName may only be "default"; empty means "default".
	PolicyName string `json:"policyName,omitempty"`
}

// GetKeyPolicyOutput is the GetKeyPolicy response.
type GetKeyPolicyOutput struct {
	Policy     string `json:"policy"`
	PolicyName string `json:"policyName"`
}

// GetKeyPolicy returns a key's policy document as stored, in any key
// state: the submitted text, or the default key policy byte for byte.
//
// It returns ValidationException, InvalidArnException, NotFoundException
// and AccessDeniedException.
func (e *Engine) GetKeyPolicy(c Caller, in GetKeyPolicyInput) (*GetKeyPolicyOutput, error) {
	return run(e, "GetKeyPolicy", c, in, func(cl *call, in GetKeyPolicyInput) (*GetKeyPolicyOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.policyName(in.PolicyName)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.target(in.KeyID, keyOnly, nil)
		if err != nil {
			return nil, err
		}
		if err := checkPolicyName(in.PolicyName); err != nil {
			return nil, err
		}
		return &GetKeyPolicyOutput{Policy: cl.e.keyPolicy(k), PolicyName: defaultPolicyName}, nil
	})
}

// ListKeyPoliciesInput is the ListKeyPolicies request.
type ListKeyPoliciesInput struct {
	KeyID  string `json:"keyId"`
	Limit  int    `json:"limit,omitempty"`
	Marker string `json:"marker,omitempty"`
}

// ListKeyPoliciesOutput is the ListKeyPolicies response.
type ListKeyPoliciesOutput struct {
	PolicyNames []string `json:"policyNames"`
	NextMarker  string   `json:"nextMarker,omitempty"`
	Truncated   bool     `json:"truncated"`
}

// ListKeyPolicies lists a key's policy names: always just "default".
//
// It returns ValidationException, InvalidArnException, NotFoundException
// and AccessDeniedException.
func (e *Engine) ListKeyPolicies(c Caller, in ListKeyPoliciesInput) (*ListKeyPoliciesOutput, error) {
	return run(e, "ListKeyPolicies", c, in, func(cl *call, in ListKeyPoliciesInput) (*ListKeyPoliciesOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.limit(in.Limit)
		v.marker(in.Marker)
		if err := v.err(); err != nil {
			return nil, err
		}
		if _, err := cl.target(in.KeyID, keyOnly, nil); err != nil {
			return nil, err
		}
		out := &ListKeyPoliciesOutput{PolicyNames: []string{defaultPolicyName}}
		if in.Marker != "" {
			// The single name was on the first page.
			out.PolicyNames = []string{}
		}
		return out, nil
	})
}

// policyName checks an optional PolicyNameType member: 1..128 word
// characters.
func (v *violations) policyName(name string) {
	if name == "" {
		return
	}
	v.length("policyName", name, 1, 128)
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			v.add(quote(name), "policyName", `satisfy regular expression pattern: [\w]+`)
			return
		}
	}
}

// checkPolicyName rejects every policy name but "default", the only one
// a key has. The message is the simulation's own: KMS's is not recorded.
func checkPolicyName(name string) error {
	if name == "" || name == defaultPolicyName {
		return nil
	}
	return &kmserrors.NotFoundException{Message: fmt.Sprintf("No such policy exists: %s. The only key policy name is default.", name)}
}
