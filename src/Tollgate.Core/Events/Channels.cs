namespace Tollgate.Core.Events;

/// <summary>Well-known channels. Any other channel name is allowed too.</summary>
public static class Channels
{
    public const string Api = "api";
    public const string WebSdk = "web_sdk";
    public const string Editor = "editor";
    public const string WorkflowTest = "workflow_test";
    public const string ScheduledTrigger = "scheduled_trigger";
    public const string Shortcut = "shortcut";
    public const string Store = "store";
}
