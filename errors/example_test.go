package errors_test

import (
	"errors"
	"fmt"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// describeKey stands in for an engine operation that fails and adds
// context with %w.
func describeKey(id string) error {
	err := &kmserrors.NotFoundException{Message: "Key '" + id + "' does not exist"}
	return fmt.Errorf("describe key %s: %w", id, err)
}

func Example_matching() {
	err := describeKey("1234abcd-12ab-34cd-56ef-1234567890ab")

	// Match a specific exception by type, through any wrapping.
	var nf *kmserrors.NotFoundException
	if errors.As(err, &nf) {
		fmt.Println("not found:", nf.Message)
	}

	// Or find whichever exception it is, as the HTTP front end does.
	if apiErr, ok := kmserrors.As(err); ok {
		fmt.Println(apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorFault())
	}

	// A different exception type does not match.
	var st *kmserrors.KMSInvalidStateException
	fmt.Println("invalid state:", errors.As(err, &st))
	// Output:
	// not found: Key '1234abcd-12ab-34cd-56ef-1234567890ab' does not exist
	// NotFoundException 400 client
	// invalid state: false
}

func ExampleNew() {
	err := kmserrors.New("DependencyTimeoutException", "injected")
	fmt.Printf("%T\n", err)
	fmt.Println(err)
	fmt.Println(kmserrors.New("NoSuchException", "x") == nil)
	// Output:
	// *errors.DependencyTimeoutException
	// DependencyTimeoutException: injected
	// true
}

func ExampleLookup() {
	info, ok := kmserrors.Lookup("NotFoundException")
	fmt.Println(ok, info.Fault, info.HTTPStatus, info.ModelHTTPStatus, info.InModel)
	// Output:
	// true client 400 404 true
}
