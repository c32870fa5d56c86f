using Tollgate.Cli;

return await CliErrors.InvokeAsync(CliRoot.Create(), args);
