using System.Text;
using CsCheck;
using Microsoft.ML.Tokenizers;
using Tollgate.Core.Estimation;

namespace Tollgate.Core.Tests.Estimation;

/// <summary>
/// Long texts are counted paragraph by paragraph, the counts of long paragraphs kept. The count must be the
/// tokenizer's count of the whole text, whatever the text and whether its paragraphs were seen before; and a
/// conversation sent again with one more message must have only about that message tokenized.
/// </summary>
public sealed class ParagraphCountsTests
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding(TokenEstimator.O200kBase);
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding(TokenEstimator.Cl100kBase);

    // Pieces that BPE patterns treat specially next to line breaks: contractions, punctuation runs, '/', other spaces.
    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.String[Gen.Char["abcXYZ 019\t /.:;'\"-_()[]{}é漢\u00a0\u2028"], 1, 12],
        Gen.Int[0, 11].Select(i => new[] { "'s", "'ll", "\r\n", ".\n", ":\n/", "\n\n", " \n", "\n ", "don't", "HTTP/2", "\r", "\n" }[i]),
        Gen.String[Gen.Char["abcdefgh "], 200, 400]); // paragraphs long enough to be kept

    private static readonly Gen<string> Text = Piece.List[1, 60].Select(pieces => string.Concat(pieces));

    [Fact]
    public void Count_IsTheTokenizersCountOfTheWholeText_SeenBeforeOrNot()
    {
        Gen.Select(Text, Text).Sample((first, second) =>
        {
            foreach (var (name, tokenizer) in new[] { (TokenEstimator.O200kBase, O200k), (TokenEstimator.Cl100kBase, Cl100k) })
            {
                foreach (var text in new[] { first, first, first + second, second + first })
                {
                    Assert.Equal(tokenizer.CountTokens(text), TokenEstimator.Count(text, name, null));
                }
            }
        }, iter: 500);
    }

    [Theory]
    [InlineData(300, 1)]  // prose: a message is one long line
    [InlineData(6, 40)]   // code: a message is forty short lines
    public void AConversationSentAgain_OnlyAboutItsNewMessageIsTokenized(int wordsALine, int lines)
    {
        var counts = new ParagraphCounts(O200k); // its own, so that other tests counting at the same time do not add to it
        var random = new Random(5);
        string Line() => string.Join(' ', Enumerable.Range(0, wordsALine).Select(_ => new[] { "the", "ledger", "charges", "exactly", "once", "tokens" }[random.Next(6)]));
        string Message(int turn) => $"Turn {turn}: " + string.Join('\n', Enumerable.Range(0, lines).Select(_ => Line())) + ".";
        var messages = new List<string> { "You are a careful assistant. " + Message(0) };
        for (var turn = 1; turn <= 8; turn++)
        {
            messages.Add(Message(turn));
            var text = new StringBuilder();
            foreach (var message in messages)
            {
                text.Append(message).Append('\n'); // as the gateway joins a request's messages
            }

            var before = counts.Tokenized;
            Assert.Equal(O200k.CountTokens(text.ToString()), counts.Count(text.ToString()));
            var tokenized = counts.Tokenized - before;
            var allowed = messages[^1].Length + 1 + (2 * ParagraphCounts.MinKept) + (turn == 1 ? messages[0].Length + 1 : 0);
            Assert.True(tokenized <= allowed, $"turn {turn}: {tokenized} characters tokenized for a new message of {messages[^1].Length}, of {text.Length} in all");
        }
    }
}
