from aws_cdk import App, Duration, Environment, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from cdk_kvs_signaling_channel import CameraFleet, MediaStorage, SignalingChannel, Stream, chime

app = App(analytics_reporting=False)
stack = Stack(app, "PolyglotStack", env=Environment(account="111111111111", region="us-east-1"))
# cdk synth -c doorbellTtlSeconds=200 shows the library's refusal.
ttl_seconds = int(app.node.try_get_context("doorbellTtlSeconds") or 30)

recordings = Stream(stack, "Recordings", data_retention=Duration.days(7))
doorbell = SignalingChannel(stack, "Doorbell",
    signaling_channel_name="doorbell",
    message_ttl=Duration.seconds(ttl_seconds),
    tags={"room": "hall"},
    removal_policy=RemovalPolicy.RETAIN,
    media_storage=MediaStorage(stream=recordings),
)
garage = SignalingChannel(stack, "Garage", message_ttl=Duration.seconds(45))

phone = iam.Role(stack, "Phone", assumed_by=iam.AccountRootPrincipal())
doorbell.grant_connect_as_viewer(phone)
garage.grant_connect_as_viewer(phone)
recordings.grant_read(phone)

fleet = CameraFleet(stack, "Cameras", role_alias_name="cameras", credential_duration=Duration.hours(1))
fleet.add_camera("porch", record=True, retention=Duration.days(7))
fleet.grant_viewer(phone)

app_instance = chime.AppInstance(stack, "Chat", app_instance_name="chat")
backend = chime.AppInstanceUser(stack, "Backend", app_instance=app_instance, app_instance_user_id="backend-worker")
lobby = chime.Channel(stack, "Lobby",
    app_instance=app_instance,
    bearer=backend,
    channel_name="Lobby",
    mode=chime.ChannelMode.RESTRICTED,
    privacy=chime.ChannelPrivacy.PRIVATE,
)
service = iam.Role(stack, "ChatService", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
lobby.grant_send_messages(service, backend)

app.synth()
