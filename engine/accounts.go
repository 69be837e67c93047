package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// Caller is who makes a KMS request and where: the account, the IAM
// principal and the Region whose endpoint receives the request.
type Caller struct {
	// Account is the caller's 12-digit AWS account ID.
	Account string
	// Principal is the ARN of the calling IAM principal: the account root
	// (arn:aws:iam::111122223333:root), a user, a role, or a role session
	// (arn:aws:sts::111122223333:assumed-role/Role/Session). Empty means
	// the account root user.
	Principal string
	// Region is the Region of the endpoint, e.g. "us-east-1".
	Region region.ID
	// SourceIP is the caller's address as KMS would see it (aws:SourceIp);
	// optional.
	SourceIP string
}

// account is one simulated AWS account.
type account struct {
	id        string
	partition string
	// root is the root user as policies see it, parsed once: most
	// callers are the root user, and its ARN would otherwise be built
	// and parsed on every request.
	root policy.Principal
	// optedIn holds the opt-in Regions the account has enabled.
	optedIn map[region.ID]bool
	// principals holds the account's IAM users and roles by ARN.
	principals map[string]*principal
}

// principal is an IAM user or role.
type principal struct {
	arn  string
	kind string // "user" or "role"
	// created is when the principal was made; key policies see it only
	// after Config.PrincipalVisibilityDelay, as IAM is eventually
	// consistent (spec §7.3).
	created time.Time
	// policies holds the principal's IAM identity policies by name.
	policies map[string]identityPolicy
}

// identityPolicy is one inline IAM policy of a user or role.
type identityPolicy struct {
	text string
	doc  *policy.Document
}

// AccountInput describes an account for [Engine.CreateAccount].
type AccountInput struct {
	// ID is the 12-digit account ID.
	ID string
	// Partition is the account's partition ("aws", "aws-cn", ...); empty
	// means "aws". An account works only in its partition's Regions.
	Partition string
}

func errUnrecognized() error {
	return &kmserrors.UnrecognizedClientException{Message: "The security token included in the request is invalid."}
}

func invalid(format string, args ...any) error {
	return &kmserrors.ValidationException{Message: fmt.Sprintf(format, args...)}
}

// CreateAccount adds an account. Its root user exists at once; opt-in
// Regions are disabled until [Engine.EnableRegion]. It returns
// ValidationException for a malformed ID or unknown partition and
// AlreadyExistsException when the ID is taken.
func (e *Engine) CreateAccount(in AccountInput) error {
	p := orDefault(in.Partition, "aws")
	if !region.ValidAccountID(in.ID) {
		return invalid("Account ID %q must be 12 digits.", in.ID)
	}
	if _, ok := region.LookupPartition(p); !ok {
		return invalid("Partition %q is not an AWS partition.", p)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.accounts[in.ID]; ok {
		return &kmserrors.AlreadyExistsException{Message: fmt.Sprintf("Account %s already exists.", in.ID)}
	}
	a := &account{
		id:         in.ID,
		partition:  p,
		optedIn:    make(map[region.ID]bool),
		principals: make(map[string]*principal),
	}
	root, ok := policy.ParsePrincipal(region.RootARN(p, in.ID))
	if !ok || root.Kind != policy.Root {
		panic("engine: the root ARN of account " + in.ID + " does not parse")
	}
	a.root = root
	e.accounts[in.ID] = a
	return nil
}

// Accounts returns the IDs of all accounts, sorted.
func (e *Engine) Accounts() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ids := make([]string, 0, len(e.accounts))
	for id := range e.accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// EnableRegion opts an account into an opt-in Region (§2.2). Enabling a
// Region that needs no opt-in is a no-op. It returns NotFoundException
// for an unknown account and ValidationException for a Region that is not
// in the account's partition.
func (e *Engine) EnableRegion(accountID string, r region.ID) error {
	return e.setOptIn(accountID, r, true)
}

// DisableRegion reverses [Engine.EnableRegion]. Keys already in the Region
// stay, but the account can no longer call KMS there.
func (e *Engine) DisableRegion(accountID string, r region.ID) error {
	return e.setOptIn(accountID, r, false)
}

func (e *Engine) setOptIn(accountID string, r region.ID, on bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.accounts[accountID]
	if !ok {
		return &kmserrors.NotFoundException{Message: fmt.Sprintf("Account %s does not exist.", accountID)}
	}
	reg, ok := region.Lookup(r)
	if !ok || reg.Partition != a.partition {
		return invalid("Region %s is not a Region of partition %s.", r, a.partition)
	}
	if !reg.OptIn {
		return nil
	}
	if on {
		a.optedIn[r] = true
	} else {
		delete(a.optedIn, r)
	}
	return nil
}

// regionEnabled reports whether the account may use Region r.
func (a *account) regionEnabled(r region.Region) bool {
	return r.Partition == a.partition && (!r.OptIn || a.optedIn[r.ID])
}

// CreatePrincipal adds an IAM user or role, given by its ARN
// (arn:aws:iam::111122223333:user/path/Name or .../role/Name), to its
// account. It returns ValidationException for any other ARN,
// NotFoundException when the account does not exist and
// AlreadyExistsException for a duplicate.
func (e *Engine) CreatePrincipal(arn string) error {
	a, ok := region.ParseARN(arn)
	kind, _, _ := strings.Cut(a.Resource, "/")
	if !ok || a.Service != "iam" || a.Region != "" || (kind != "user" && kind != "role") ||
		!validPrincipalPath(a.Resource[len(kind):]) {
		return invalid("%s is not an IAM user or role ARN.", arn)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	acct, ok := e.accounts[a.Account]
	if !ok || acct.partition != a.Partition {
		return &kmserrors.NotFoundException{Message: fmt.Sprintf("Account %s does not exist in partition %s.", a.Account, a.Partition)}
	}
	if _, ok := acct.principals[arn]; ok {
		return &kmserrors.AlreadyExistsException{Message: fmt.Sprintf("%s already exists.", arn)}
	}
	acct.principals[arn] = &principal{arn: arn, kind: kind, created: e.clock.Now()}
	return nil
}

// validPrincipalPath checks the "/path/Name" part of a user or role ARN:
// a non-empty name and no empty path segments.
func validPrincipalPath(p string) bool {
	if len(p) < 2 || p[0] != '/' || p[len(p)-1] == '/' {
		return false
	}
	return !strings.Contains(p, "//")
}

// DeletePrincipal removes an IAM user or role and its access keys. Key
// policies that name it stay as they are, as in IAM. It returns NotFoundException when the
// principal does not exist.
func (e *Engine) DeletePrincipal(arn string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, _ := region.ParseARN(arn)
	acct := e.accounts[a.Account]
	if acct == nil || acct.principals[arn] == nil {
		return &kmserrors.NotFoundException{Message: fmt.Sprintf("%s does not exist.", arn)}
	}
	delete(acct.principals, arn)
	e.accessKeys.Range(func(id, v any) bool {
		if v.(AccessKey).Principal == arn {
			e.accessKeys.Delete(id)
		}
		return true
	})
	return nil
}

// authenticate checks that the caller's account and principal exist and
// may use the Region, as AWS does before KMS sees a request, and fills in
// the call's context. Every failure is UnrecognizedClientException, which
// is what AWS answers for unknown credentials, for a Region outside the
// credentials' partition and for an opt-in Region the account has not
// enabled.
func (cl *call) authenticate() error {
	c := cl.caller
	a := cl.e.accounts[c.Account]
	r, ok := region.Lookup(c.Region)
	if a == nil || !ok || !a.regionEnabled(r) {
		return errUnrecognized()
	}
	if c.Principal == "" {
		c.Principal = a.root.ARN
	}
	who, p, ok := a.identify(c.Principal)
	if !ok {
		return errUnrecognized()
	}
	cl.who = who
	if p != nil {
		cl.iam = p.documents()
	}
	cl.caller = c
	cl.acct = a
	cl.partition = a.partition
	cl.scope.Account = a.id
	cl.scope.Region = c.Region
	return nil
}

// knows reports whether arn names the account's root, one of its users or
// roles, or a session of one of its roles.
func (a *account) knows(arn string) bool {
	_, _, ok := a.identify(arn)
	return ok
}

// identify resolves a caller ARN of the account: the root user, a user, a
// role, or a session of a role. It returns the caller as policies see it
// and the IAM principal whose identity policies apply (nil for root).
func (a *account) identify(arn string) (policy.Principal, *principal, bool) {
	if arn == a.root.ARN {
		return a.root, nil, true
	}
	who, ok := policy.ParsePrincipal(arn)
	if !ok || who.Account != a.id || who.Partition != a.partition {
		return who, nil, false
	}
	switch {
	case who.Kind == policy.Root:
		return who, nil, true
	case a.principals[arn] != nil:
		return who, a.principals[arn], true
	case who.Kind == policy.Role && who.RoleARN != arn:
		// A session ARN carries the role's name but not its path; a role
		// ARN itself must match exactly.
		if p := a.roleNamed(who.RoleARN); p != nil {
			who.RoleARN = p.arn
			return who, p, true
		}
	}
	return who, nil, false
}

// roleNamed finds a role by the path-less ARN a session implies.
func (a *account) roleNamed(pathless string) *principal {
	if p := a.principals[pathless]; p != nil && p.kind == "role" {
		return p
	}
	_, name, _ := strings.Cut(pathless, ":role/")
	for arn, p := range a.principals {
		if p.kind == "role" && strings.HasSuffix(arn, "/"+name) {
			return p
		}
	}
	return nil
}

// documents returns the principal's identity policies in name order, so
// decisions that depend on which policy matched first are deterministic.
func (p *principal) documents() []*policy.Document {
	if len(p.policies) == 0 {
		return nil
	}
	names := make([]string, 0, len(p.policies))
	for n := range p.policies {
		names = append(names, n)
	}
	slices.Sort(names)
	docs := make([]*policy.Document, len(names))
	for i, n := range names {
		docs[i] = p.policies[n].doc
	}
	return docs
}

// PutPrincipalPolicy attaches an inline IAM identity policy to a user or
// role, replacing any policy of the same name, like IAM's PutUserPolicy
// and PutRolePolicy. Role sessions get their role's policies; the root
// user has none and needs none. It returns NotFoundException for an
// unknown principal, ValidationException for an empty name or the root
// user, and MalformedPolicyDocumentException for a document that is not
// an identity policy.
func (e *Engine) PutPrincipalPolicy(principalARN, name, document string) error {
	if name == "" {
		return invalid("A policy name is required.")
	}
	doc, err := policy.ParseIdentity(document)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.iamPrincipal(principalARN)
	if err != nil {
		return err
	}
	if p.policies == nil {
		p.policies = make(map[string]identityPolicy)
	}
	p.policies[name] = identityPolicy{text: document, doc: doc}
	return nil
}

// DeletePrincipalPolicy removes an inline IAM policy. It returns
// NotFoundException when the principal or the policy does not exist.
func (e *Engine) DeletePrincipalPolicy(principalARN, name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.iamPrincipal(principalARN)
	if err != nil {
		return err
	}
	if _, ok := p.policies[name]; !ok {
		return &kmserrors.NotFoundException{Message: fmt.Sprintf("%s has no policy named %s.", principalARN, name)}
	}
	delete(p.policies, name)
	return nil
}

// PrincipalPolicies returns the names of a user's or role's inline IAM
// policies, sorted.
func (e *Engine) PrincipalPolicies(principalARN string) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.iamPrincipal(principalARN)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(p.policies))
	for n := range p.policies {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

// iamPrincipal finds a user or role by ARN.
func (e *Engine) iamPrincipal(arn string) (*principal, error) {
	a, _ := region.ParseARN(arn)
	if acct := e.accounts[a.Account]; acct != nil {
		if p := acct.principals[arn]; p != nil {
			return p, nil
		}
		if root := region.RootARN(acct.partition, acct.id); arn == root {
			return nil, invalid("The root user has every IAM permission; it takes no IAM policies.")
		}
	}
	return nil, &kmserrors.NotFoundException{Message: fmt.Sprintf("%s does not exist.", arn)}
}
