using System.Collections.Frozen;

namespace Tollgate.Core.Events;

/// <summary>The billing types of the public contract (see docs/usage-events.md).</summary>
public static class BillingTypes
{
    public const string LlmText = "llm_text";
    public const string LlmAudio = "llm_audio";
    public const string Asr = "asr";
    public const string Tts = "tts";
    public const string Embedding = "embedding";
    public const string KnowledgeStorage = "knowledge_storage";
    public const string Tool = "tool";
    public const string Rerank = "rerank";
    public const string Database = "database";
    public const string QuestionRecognition = "question_recognition";
    public const string Moderation = "moderation";
    public const string ImageGeneration = "image_generation";
    public const string VideoGeneration = "video_generation";

    public static FrozenSet<string> All { get; } = new[]
    {
        LlmText, LlmAudio, Asr, Tts, Embedding, KnowledgeStorage, Tool, Rerank,
        Database, QuestionRecognition, Moderation, ImageGeneration, VideoGeneration,
    }.ToFrozenSet(StringComparer.Ordinal);
}
