/**
 * The signaling operations that the service reports `Failure` and `Latency` metrics for, as the value of
 * the metrics' `Operation` dimension.
 */
export enum SignalingOperation {
  /** A master connecting to the channel. */
  CONNECT_AS_MASTER = 'ConnectAsMaster',
  /** A viewer connecting to the channel. */
  CONNECT_AS_VIEWER = 'ConnectAsViewer',
  /** A viewer sending its SDP offer. */
  SEND_SDP_OFFER = 'SendSdpOffer',
  /** A master sending its SDP answer. */
  SEND_SDP_ANSWER = 'SendSdpAnswer',
  /** A peer sending an ICE candidate. */
  SEND_CANDIDATE = 'SendCandidate',
  /** Alexa sending an offer to the master. */
  SEND_ALEXA_OFFER_TO_MASTER = 'SendAlexaOfferToMaster',
  /** A peer fetching TURN server configuration. */
  GET_ICE_SERVER_CONFIG = 'GetIceServerConfig',
  /** A peer disconnecting. */
  DISCONNECT = 'Disconnect',
}
