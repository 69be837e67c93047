package region_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/kmsim/kmsim/region"
)

func ExampleKeyARN() {
	fmt.Println(region.KeyARN("aws", "us-west-2", "111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"))
	fmt.Println(region.KeyARN("aws", "eu-west-1", "111122223333", "mrk-1234abcd12ab34cd56ef1234567890ab"))
	fmt.Println(region.AliasARN("aws", "us-west-2", "111122223333", "alias/ExampleAlias"))
	fmt.Println(region.RootARN("aws", "111122223333"))
	// Output:
	// arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
	// arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab
	// arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias
	// arn:aws:iam::111122223333:root
}

func ExampleParseARN() {
	a, ok := region.ParseARN("arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias")
	fmt.Println(ok, a.Partition, a.Service, a.Region, a.Account, a.Resource)
	fmt.Println(region.KMSResource(a))

	_, ok = region.ParseARN("alias/ExampleAlias")
	fmt.Println(ok)
	// Output:
	// true aws kms us-west-2 111122223333 alias/ExampleAlias
	// alias alias/ExampleAlias
	// false
}

func ExamplePartitionFor() {
	// A replica Region must be a known Region in the primary's partition.
	primary := region.ID("us-east-1")
	for _, replica := range []region.ID{"ap-east-1", "cn-north-1", "us-invalid-1"} {
		r, known := region.Lookup(replica)
		same := region.PartitionFor(replica).ID == region.PartitionFor(primary).ID
		fmt.Printf("%s: same partition %v, known %v, opt-in %v\n", replica, same, known, r.OptIn)
	}
	// Output:
	// ap-east-1: same partition true, known true, opt-in true
	// cn-north-1: same partition false, known true, opt-in false
	// us-invalid-1: same partition true, known false, opt-in false
}

func ExampleValidCode() {
	for _, s := range []string{"us-east-1", "us-east-1a", "aws-global"} {
		fmt.Println(s, region.ValidCode(s))
	}
	// Output:
	// us-east-1 true
	// us-east-1a false
	// aws-global false
}

func ExampleNewKeyID() {
	r := rand.NewChaCha8([32]byte{'k', 'm', 's', 'i', 'm'})
	single, err := region.NewKeyID(r, false)
	if err != nil {
		panic(err)
	}
	multi, err := region.NewKeyID(r, true)
	if err != nil {
		panic(err)
	}
	fmt.Println(single, region.IsKeyID(single), region.IsMultiRegionKeyID(single))
	fmt.Println(multi, region.IsKeyID(multi), region.IsMultiRegionKeyID(multi))
	// Output:
	// 51e634cc-4197-490e-9040-c6387235d1d2 true false
	// mrk-649c8f8f858f44298efe01b4d756886b true true
}

func ExamplePartitions() {
	for _, p := range region.Partitions() {
		fmt.Println(p.ID, p.ImplicitGlobalRegion, len(p.Regions))
	}
	// Output:
	// aws us-east-1 34
	// aws-cn cn-northwest-1 2
	// aws-us-gov us-gov-west-1 2
	// aws-iso us-iso-east-1 2
	// aws-iso-b us-isob-east-1 2
	// aws-iso-e eu-isoe-west-1 1
	// aws-iso-f us-isof-south-1 2
	// aws-eusc eusc-de-east-1 1
}
