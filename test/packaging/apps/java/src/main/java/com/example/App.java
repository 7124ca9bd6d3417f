package com.example;

import io.github.cdk_kvs.signaling_channel.CameraFleet;
import io.github.cdk_kvs.signaling_channel.CameraOptions;
import io.github.cdk_kvs.signaling_channel.MediaStorage;
import io.github.cdk_kvs.signaling_channel.SignalingChannel;
import io.github.cdk_kvs.signaling_channel.Stream;
import io.github.cdk_kvs.signaling_channel.chime.AppInstance;
import io.github.cdk_kvs.signaling_channel.chime.AppInstanceUser;
import io.github.cdk_kvs.signaling_channel.chime.Channel;
import io.github.cdk_kvs.signaling_channel.chime.ChannelMode;
import io.github.cdk_kvs.signaling_channel.chime.ChannelPrivacy;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

public final class App {
    public static void main(final String[] args) {
        software.amazon.awscdk.App app = software.amazon.awscdk.App.Builder.create().analyticsReporting(false).build();
        Stack stack = new Stack(app, "PolyglotStack", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build())
                .build());
        // cdk synth -c doorbellTtlSeconds=200 shows the library's refusal.
        Object ttlContext = app.getNode().tryGetContext("doorbellTtlSeconds");
        int ttlSeconds = ttlContext == null ? 30 : Integer.parseInt(ttlContext.toString());

        Stream recordings = Stream.Builder.create(stack, "Recordings").dataRetention(Duration.days(7)).build();
        SignalingChannel doorbell = SignalingChannel.Builder.create(stack, "Doorbell")
                .signalingChannelName("doorbell")
                .messageTtl(Duration.seconds(ttlSeconds))
                .tags(Map.of("room", "hall"))
                .removalPolicy(RemovalPolicy.RETAIN)
                .mediaStorage(MediaStorage.builder().stream(recordings).build())
                .build();
        SignalingChannel garage = SignalingChannel.Builder.create(stack, "Garage").messageTtl(Duration.seconds(45)).build();

        Role phone = Role.Builder.create(stack, "Phone").assumedBy(new AccountRootPrincipal()).build();
        doorbell.grantConnectAsViewer(phone);
        garage.grantConnectAsViewer(phone);
        recordings.grantRead(phone);

        CameraFleet fleet = CameraFleet.Builder.create(stack, "Cameras")
                .roleAliasName("cameras")
                .credentialDuration(Duration.hours(1))
                .build();
        fleet.addCamera("porch", CameraOptions.builder().record(true).retention(Duration.days(7)).build());
        fleet.grantViewer(phone);

        AppInstance appInstance = AppInstance.Builder.create(stack, "Chat").appInstanceName("chat").build();
        AppInstanceUser backend = AppInstanceUser.Builder.create(stack, "Backend")
                .appInstance(appInstance)
                .appInstanceUserId("backend-worker")
                .build();
        Channel lobby = Channel.Builder.create(stack, "Lobby")
                .appInstance(appInstance)
                .bearer(backend)
                .channelName("Lobby")
                .mode(ChannelMode.RESTRICTED)
                .privacy(ChannelPrivacy.PRIVATE)
                .build();
        Role service = Role.Builder.create(stack, "ChatService").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        lobby.grantSendMessages(service, backend);

        app.synth();
    }
}
