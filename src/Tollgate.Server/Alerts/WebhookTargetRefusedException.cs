namespace Tollgate.Server.Alerts;

/// <summary>A webhook target refused by policy (<see cref="WebhookTargets"/>): the message is for the server log only.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
