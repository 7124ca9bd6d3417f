package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	kvs "github.com/cdk-kvs/cdk-kvs-signaling-channel-go/cdkkvssignalingchannel"
	"github.com/cdk-kvs/cdk-kvs-signaling-channel-go/cdkkvssignalingchannel/chime"
)

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("PolyglotStack"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	// cdk synth -c doorbellTtlSeconds=200 shows the library's refusal.
	ttlSeconds := 30.0
	if ttl := app.Node().TryGetContext(jsii.String("doorbellTtlSeconds")); ttl != nil {
		fmt.Sscan(fmt.Sprint(ttl), &ttlSeconds)
	}

	recordings := kvs.NewStream(stack, jsii.String("Recordings"), &kvs.StreamProps{DataRetention: awscdk.Duration_Days(jsii.Number(7))})
	doorbell := kvs.NewSignalingChannel(stack, jsii.String("Doorbell"), &kvs.SignalingChannelProps{
		SignalingChannelName: jsii.String("doorbell"),
		MessageTtl:           awscdk.Duration_Seconds(jsii.Number(ttlSeconds)),
		Tags:                 &map[string]*string{"room": jsii.String("hall")},
		RemovalPolicy:        awscdk.RemovalPolicy_RETAIN,
		MediaStorage:         &kvs.MediaStorage{Stream: recordings},
	})
	garage := kvs.NewSignalingChannel(stack, jsii.String("Garage"), &kvs.SignalingChannelProps{MessageTtl: awscdk.Duration_Seconds(jsii.Number(45))})

	phone := awsiam.NewRole(stack, jsii.String("Phone"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	doorbell.GrantConnectAsViewer(phone)
	garage.GrantConnectAsViewer(phone)
	recordings.GrantRead(phone)

	fleet := kvs.NewCameraFleet(stack, jsii.String("Cameras"), &kvs.CameraFleetProps{
		RoleAliasName:      jsii.String("cameras"),
		CredentialDuration: awscdk.Duration_Hours(jsii.Number(1)),
	})
	fleet.AddCamera(jsii.String("porch"), &kvs.CameraOptions{Record: jsii.Bool(true), Retention: awscdk.Duration_Days(jsii.Number(7))})
	fleet.GrantViewer(phone)

	appInstance := chime.NewAppInstance(stack, jsii.String("Chat"), &chime.AppInstanceProps{AppInstanceName: jsii.String("chat")})
	backend := chime.NewAppInstanceUser(stack, jsii.String("Backend"), &chime.AppInstanceUserProps{
		AppInstance:       appInstance,
		AppInstanceUserId: jsii.String("backend-worker"),
	})
	lobby := chime.NewChannel(stack, jsii.String("Lobby"), &chime.ChannelProps{
		AppInstance: appInstance,
		Bearer:      backend,
		ChannelName: jsii.String("Lobby"),
		Mode:        chime.ChannelMode_RESTRICTED,
		Privacy:     chime.ChannelPrivacy_PRIVATE,
	})
	service := awsiam.NewRole(stack, jsii.String("ChatService"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
	lobby.GrantSendMessages(service, backend)

	app.Synth(nil)
}
