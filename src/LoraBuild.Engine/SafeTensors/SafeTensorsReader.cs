using System.Diagnostics.CodeAnalysis;
using LoraBuild.Core.Diagnostics;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// One open safetensors file: the header is read and validated on open; tensor data is read only when a tensor
/// is loaded, or mapped (<see cref="MapTensor"/>). Keeps the file open (shared for reading) until disposed; mapped
/// tensors stay valid after that.
/// </summary>
public sealed class SafeTensorsReader : ISafeTensorsReader
{
    private readonly SafeFileHandle _file;
    private MappedSafeTensorsFile? _mapped;

    private SafeTensorsReader(string path, SafeFileHandle file, SafeTensorsHeader header)
    {
        Path = path;
        _file = file;
        Header = header;
    }

    /// <summary>The file's path as given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The validated header.</summary>
    public SafeTensorsHeader Header { get; }

    /// <inheritdoc />
    public IReadOnlyList<SafeTensorInfo> Tensors => Header.Tensors;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    /// <summary>Opens a safetensors file and validates its header.</summary>
    /// <exception cref="LoraException">The file is missing, unreadable or not valid safetensors (LORA2001–LORA2023).</exception>
    public static SafeTensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensorsFileAccess.OpenRead(path);
        try
        {
            return new SafeTensorsReader(path, file, SafeTensorsHeaderReader.Read(file, path));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool TryGetTensor(string name, [MaybeNullWhen(false)] out SafeTensorInfo info) =>
        Header.TryGetTensor(name, out info);

    /// <inheritdoc />
    public Tensor LoadTensor(string name, ScalarType? dtype = null, Device? device = null)
    {
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        if (!Header.TryGetTensor(name, out var info))
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TensorNotFound,
                $"The file has no tensor named '{name}'.",
                SafeTensorsLocation.ForTensor(Path, name));
        }

        return SafeTensorLoader.Load(_file, Header.DataStart, info, Path, dtype, device);
    }

    /// <inheritdoc />
    public Tensor MapTensor(string name, ScalarType? dtype = null)
    {
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        if (!Header.TryGetTensor(name, out var info) || !SafeTensorsTorchTypes.TryGetScalarType(info.DType, out var storedType))
        {
            return LoadTensor(name, dtype); // raises the coded error
        }

        _mapped ??= MappedSafeTensorsFile.Open(Path);
        var view = _mapped.View(info, Header.DataStart, storedType);
        if (view is null)
        {
            return LoadTensor(name, dtype);
        }

        if (dtype is null || dtype == storedType)
        {
            return view;
        }

        using (view)
        {
            return view.to(dtype.Value);
        }
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> LoadTensors(
        Func<SafeTensorInfo, bool>? filter = null,
        ScalarType? dtype = null,
        Device? device = null) =>
        SafeTensorLoader.LoadMany(this, filter, dtype, device);

    /// <inheritdoc />
    public void Dispose()
    {
        _mapped?.Dispose();
        _file.Dispose();
    }
}
