module example.com/polyglot-app

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.257.0
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-kvs/cdk-kvs-signaling-channel-go/cdkkvssignalingchannel v0.0.0
)

// The module the build writes: dist/go of a clone of cdk-kvs-signaling-channel.
replace github.com/cdk-kvs/cdk-kvs-signaling-channel-go/cdkkvssignalingchannel => /path/to/cdk-kvs-signaling-channel/dist/go/cdkkvssignalingchannel

// The module's go.mod names awscdk/v2 v2.245.0 (the library's floor) and the cloud assembly schema v53.28.0;
// the Go module proxy this project reaches serves neither, so take v2.257.0 and the schema it was released with.
replace github.com/aws/aws-cdk-go/awscdk/v2 => github.com/aws/aws-cdk-go/awscdk/v2 v2.257.0

replace github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 => github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 v53.25.0
