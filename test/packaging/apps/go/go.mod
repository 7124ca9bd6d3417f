module example.com/polyglot-app

go 1.23

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.250.0
	github.com/aws/constructs-go/constructs/v10 v10.5.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-kvs/cdk-kvs-signaling-channel-go/cdkkvssignalingchannel v0.0.0
)

// The module the build writes: dist/go of a clone of cdk-kvs-signaling-channel.
replace github.com/cdk-kvs/cdk-kvs-signaling-channel-go/cdkkvssignalingchannel => /path/to/cdk-kvs-signaling-channel/dist/go/cdkkvssignalingchannel
